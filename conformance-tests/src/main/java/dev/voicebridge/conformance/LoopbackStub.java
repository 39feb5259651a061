package dev.voicebridge.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted HTTP/1.1 server on loopback for the rules that point a provider at a server other than
 * its fixture's (a redirect target, a server that records what a request looks like on the wire, an
 * error page without end). Plain sockets, so it records each request head exactly as the client
 * sent it, a WebSocket handshake included, and answers whatever the script says. One named thread
 * accepts, one per connection serves; {@link #close()} stops them all.
 */
final class LoopbackStub implements AutoCloseable {

  /** What the stub answers to a request. */
  interface Script {
    /**
     * Answers the request whose head is {@code head} on {@code out}; the connection is closed when
     * it returns.
     */
    void answer(String head, OutputStream out, LoopbackStub stub) throws IOException;
  }

  private final ServerSocket server;
  private final Script script;
  private final Thread acceptor;
  private final List<Thread> workers = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong endlessBytes = new AtomicLong();
  private final CountDownLatch endlessStopped = new CountDownLatch(1);
  private final String name;

  LoopbackStub(String name, Script script) throws IOException {
    this.name = name;
    this.script = script;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "conformance-stub-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code http://127.0.0.1:PORT}. */
  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Every request head received, in order (request line and header lines, CRLF-separated). */
  List<String> heads() {
    return List.copyOf(heads);
  }

  /** Connections accepted. */
  int accepted() {
    return accepted.get();
  }

  /** Bytes written by {@link #endlessBody} so far. */
  long endlessBytes() {
    return endlessBytes.get();
  }

  /**
   * Waits until an {@link #endlessBody} stopped because the client went away.
   *
   * @return true if it stopped within {@code timeout}
   */
  boolean awaitEndlessStopped(Duration timeout) throws InterruptedException {
    return endlessStopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      sockets.add(s);
      Thread t = new Thread(() -> serve(s), "conformance-stub-" + name + "-conn");
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      heads.add(head);
      int length = contentLength(head);
      if (length > 0) {
        in.readNBytes(length);
      }
      OutputStream out = s.getOutputStream();
      script.answer(head, out, this);
      out.flush();
    } catch (IOException e) {
      // the client went away, or the stub is closing
    } finally {
      sockets.remove(s);
    }
  }

  /** A whole response with {@code Connection: close}. */
  static void respond(OutputStream out, int status, String extraHeaders, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 "
                + status
                + " Stub\r\nContent-Type: application/json\r\nContent-Length: "
                + b.length
                + "\r\n"
                + extraHeaders
                + "Connection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(b);
  }

  /**
   * A response with {@code status} whose chunked JSON body starts with {@code start} and never
   * ends: 8 KiB chunks of filler until the client goes away (a write fails) or {@code max} bytes.
   */
  void endlessBody(OutputStream out, int status, String start, long max) throws IOException {
    try {
      out.write(
          ("HTTP/1.1 "
                  + status
                  + " Stub\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      chunk(out, start.getBytes(StandardCharsets.UTF_8));
      byte[] filler = new byte[8192];
      Arrays.fill(filler, (byte) 'x');
      while (endlessBytes.get() < max) {
        chunk(out, filler);
      }
    } finally {
      endlessStopped.countDown();
    }
  }

  private void chunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    endlessBytes.addAndGet(data.length);
  }

  /** The request target (path and query) of a head. */
  static String target(String head) {
    String line = head.substring(0, head.indexOf("\r\n"));
    String[] parts = line.split(" ");
    return parts.length > 1 ? parts[1] : "";
  }

  /** The header lines of a head. */
  static List<String> headerLines(String head) {
    List<String> out = new ArrayList<>();
    for (String l : head.split("\r\n")) {
      if (!l.isEmpty()) {
        out.add(l);
      }
    }
    return out.isEmpty() ? out : out.subList(1, out.size());
  }

  /** The lower-case header names of a head. */
  static List<String> headerNames(String head) {
    List<String> out = new ArrayList<>();
    for (String l : headerLines(head)) {
      int colon = l.indexOf(':');
      out.add((colon < 0 ? l : l.substring(0, colon)).trim().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** Whether the head asks for a WebSocket upgrade. */
  static boolean isUpgrade(String head) {
    for (String l : headerLines(head)) {
      String lower = l.toLowerCase(Locale.ROOT);
      if (lower.startsWith("upgrade:") && lower.contains("websocket")) {
        return true;
      }
    }
    return false;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    while (b.size() < 65536) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      b.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2))
              ? state + 1
              : c == '\n' && (state == 1 || state == 3) ? state + 1 : 0;
      if (state == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static int contentLength(String head) {
    for (String line : headerLines(head)) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        try {
          return Integer.parseInt(line.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** Stops accepting, closes every connection and waits for the stub's threads to end. */
  @Override
  public void close() throws InterruptedException {
    try {
      server.close();
    } catch (IOException e) {
      // closing is best effort
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing is best effort
      }
    }
    acceptor.join(10_000);
    for (Thread t : workers) {
      t.join(10_000);
    }
  }
}
