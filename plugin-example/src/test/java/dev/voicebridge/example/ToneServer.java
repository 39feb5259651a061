package dev.voicebridge.example;

import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.ServerRecord;
import dev.voicebridge.spi.conformance.TestServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tone vendor's HTTP API, as a third party's test server for its own provider: {@code POST
 * /v1/tones} with a JSON body answers with the tones as chunked 16-bit PCM, 20 ms per chunk. Plain
 * HTTP/1.1 over a {@link ServerSocket} on 127.0.0.1 (port chosen by the OS), one daemon thread per
 * connection, keep-alive; it implements {@link TestServer} and {@link ServerControl}, so the whole
 * conformance suite runs against it, with the faults an HTTP vendor can express.
 */
final class ToneServer implements TestServer, ServerControl {
  private static final Pattern TEXT = Pattern.compile("\"text\":\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern NUMBER =
      Pattern.compile("\"(sample_rate|char_ms|frequency)\":([0-9.]+)");

  private final String key;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final List<Record> records = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile boolean closed;

  /** A server that accepts {@code key} as its Bearer token. */
  ToneServer(String key) {
    this.key = key;
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.acceptor = new Thread(this::accept, "tone-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @Override
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  @Override
  public ServerControl control() {
    return this;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        accepted.incrementAndGet();
        int id = ids.incrementAndGet();
        Thread t = new Thread(() -> serve(s, id), "tone-server-" + id);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One connection: requests one after the other until the client or a fault ends it. */
  private void serve(Socket s, int id) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (!closed) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line = readLine(in);
        if (line == null || line.isEmpty()) {
          return;
        }
        String requestLine = line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            headers
                .computeIfAbsent(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>())
                .add(line.substring(colon + 1).trim());
          }
        }
        int length = Integer.parseInt(first(headers, "content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        if (!respond(s, out, id, requestLine, headers, body)) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away
    } finally {
      sockets.remove(s);
    }
  }

  /** Answers one request; returns whether the connection stays open. */
  private boolean respond(
      Socket s,
      OutputStream out,
      int connection,
      String requestLine,
      Map<String, List<String>> headers,
      String body)
      throws IOException {
    if (!requestLine.startsWith("POST /v1/tones ")) {
      return send(out, 404, "application/json", "{\"error\":\"not found\"}", null);
    }
    String auth = first(headers, "authorization", "");
    Fault fault = faults.poll();
    if (fault instanceof Fault.EchoCredentials) {
      return send(out, 401, "application/json", "{\"error\":\"invalid key: " + auth + "\"}", null);
    }
    if (!auth.equals("Bearer " + key)) {
      return send(out, 401, "application/json", "{\"error\":\"invalid api key\"}", null);
    }
    if (fault instanceof Fault.HandshakeStatus h) {
      String retry = h.retryAfter() == null ? null : String.valueOf(h.retryAfter().toSeconds());
      return send(
          out, h.status(), "application/json", "{\"error\":\"" + Fault.MESSAGE + "\"}", retry);
    }
    if (fault instanceof Fault.HtmlInsteadOfAudio) {
      return send(
          out, 200, "text/html", "<html><body>Please sign in to the Wi-Fi</body></html>", null);
    }
    Record r = new Record(connection, headers, body);
    records.add(r);
    Matcher t = TEXT.matcher(body);
    String text = t.find() ? t.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : "";
    r.text = text;
    Map<String, String> numbers = new LinkedHashMap<>();
    Matcher n = NUMBER.matcher(body);
    while (n.find()) {
      numbers.put(n.group(1), n.group(2));
    }
    int rate = Integer.parseInt(numbers.getOrDefault("sample_rate", "16000"));
    ToneGenerator tones =
        new ToneGenerator(
            Duration.ofMillis(Long.parseLong(numbers.getOrDefault("char_ms", "30"))),
            Double.parseDouble(numbers.getOrDefault("frequency", "440")));
    byte[] pcm = tones.render(text, rate);
    int frame = rate * 2 / 50; // 20 ms
    int after = afterChunks(fault);
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: audio/pcm\r\nTransfer-Encoding: chunked\r\n"
                + (fault instanceof Fault.CloseAfterCompletion ? "Connection: close\r\n" : "")
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    int chunks = 0;
    for (int off = 0; off < pcm.length || chunks == 0 && pcm.length == 0; off += frame) {
      if (after >= 0 && chunks == after) {
        return fault(s, out, fault);
      }
      if (pcm.length == 0) {
        break;
      }
      int len = Math.min(frame, pcm.length - off);
      out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(pcm, off, len);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      r.frame(pcm, off, len);
      chunks++;
    }
    if (after >= 0) {
      return fault(s, out, fault); // due after more chunks than the text had: before the end
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    r.completed = true;
    return !(fault instanceof Fault.CloseAfterCompletion);
  }

  /** Fires a mid-stream fault; returns whether the connection stays open (never). */
  private boolean fault(Socket s, OutputStream out, Fault fault) throws IOException {
    if (fault instanceof Fault.Disconnect d && d.abrupt()) {
      s.setSoLinger(true, 0); // a reset
    } else if (fault instanceof Fault.Stall) {
      s.getInputStream()
          .transferTo(OutputStream.nullOutputStream()); // silent until the client goes
    }
    return false;
  }

  private static int afterChunks(Fault f) {
    if (f instanceof Fault.Disconnect d) {
      return d.afterChunks();
    }
    if (f instanceof Fault.Stall st) {
      return st.afterChunks();
    }
    return -1;
  }

  private static boolean send(
      OutputStream out, int status, String type, String body, String retryAfter)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 "
                + status
                + " Status\r\nContent-Type: "
                + type
                + "\r\nContent-Length: "
                + b.length
                + "\r\n"
                + (retryAfter == null ? "" : "Retry-After: " + retryAfter + "\r\n")
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
    return true;
  }

  private static String first(Map<String, List<String>> h, String name, String fallback) {
    List<String> v = h.get(name);
    return v == null || v.isEmpty() ? fallback : v.get(0);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  /** What the server saw and sent in one request. */
  private static final class Record {
    final int connection;
    final Map<String, List<String>> headers;
    final String body;
    final MessageDigest sha;
    final List<String> prefixes = new ArrayList<>();
    volatile String text = "";
    volatile int frames;
    volatile long bytes;
    volatile boolean completed;

    Record(int connection, Map<String, List<String>> headers, String body) {
      this.connection = connection;
      this.headers = headers;
      this.body = body;
      try {
        this.sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      prefixes.add(digest());
    }

    synchronized void frame(byte[] pcm, int off, int len) {
      sha.update(pcm, off, len);
      frames++;
      bytes += len;
      prefixes.add(digest());
    }

    private String digest() {
      try {
        return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest());
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    }

    synchronized ServerRecord snapshot() {
      return new ServerRecord(
          connection,
          text,
          1,
          0,
          true,
          frames,
          bytes,
          prefixes.get(prefixes.size() - 1),
          prefixes,
          completed,
          headers,
          List.of(body));
    }
  }

  // ------------------------------------------------------------------ ServerControl

  @Override
  public Set<Class<? extends Fault>> supportedFaults() {
    return Set.of(
        Fault.HandshakeStatus.class,
        Fault.Disconnect.class,
        Fault.Stall.class,
        Fault.CloseAfterCompletion.class,
        Fault.HtmlInsteadOfAudio.class,
        Fault.EchoCredentials.class);
  }

  @Override
  public void inject(Fault fault) {
    if (!supportedFaults().contains(fault.getClass())) {
      throw new IllegalArgumentException("the tone server cannot inject " + fault);
    }
    if (fault instanceof Fault.EchoCredentials e && e.channel() != Fault.Channel.REFUSAL_BODY) {
      throw new IllegalArgumentException("the tone server echoes in its refusal body only");
    }
    faults.add(fault);
  }

  @Override
  public void clearFaults() {
    faults.clear();
  }

  @Override
  public List<ServerRecord> sessions() {
    List<ServerRecord> out = new ArrayList<>();
    for (Record r : records) {
      out.add(r.snapshot());
    }
    return out;
  }

  @Override
  public int openConnections() {
    sockets.removeIf(Socket::isClosed);
    return sockets.size();
  }

  @Override
  public int connectionsAccepted() {
    return accepted.get();
  }

  @Override
  public void reset() {
    faults.clear();
    records.clear();
    accepted.set(0);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
