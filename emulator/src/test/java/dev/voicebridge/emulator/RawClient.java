package dev.voicebridge.emulator;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A client over a plain socket that sees every byte the server sends: HTTP/1.1 requests and
 * responses (chunked or not) and RFC 6455 frames, each as it is on the wire, with partial frames
 * and resets reported as such. For the hostile-server faults, which java.net.http hides.
 */
final class RawClient implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A WebSocket frame as sent: fin bit, opcode (0 continuation, 1 text, 2 binary, 8 close). */
  record Frame(boolean fin, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** A close frame's code. */
    int closeCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    /** A close frame's reason. */
    String closeReason() {
      return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
  }

  /** A frame or chunk cut short: it announced {@code announced} bytes, {@code received} came. */
  static final class PartialFrame extends IOException {
    final long announced;
    final int received;

    PartialFrame(long announced, int received, IOException cause) {
      super("announced " + announced + " bytes, received " + received, cause);
      this.announced = announced;
      this.received = received;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private String head = "";

  private RawClient(URI base) throws IOException {
    this.socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens a connection and sends a WebSocket upgrade request (without reading the answer). */
  static RawClient upgrade(URI base, String pathAndQuery, Map<String, String> headers)
      throws IOException {
    RawClient c = new RawClient(base);
    StringBuilder req =
        new StringBuilder("GET ")
            .append(pathAndQuery)
            .append(" HTTP/1.1\r\nHost: ")
            .append(base.getHost())
            .append(':')
            .append(base.getPort())
            .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    c.out.write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
    c.out.flush();
    return c;
  }

  /** Opens a connection and sends a POST with a JSON body (without reading the answer). */
  static RawClient post(URI base, String pathAndQuery, Map<String, String> headers, String json)
      throws IOException {
    RawClient c = new RawClient(base);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    StringBuilder req =
        new StringBuilder("POST ")
            .append(pathAndQuery)
            .append(" HTTP/1.1\r\nHost: ")
            .append(base.getHost())
            .append(':')
            .append(base.getPort())
            .append("\r\nContent-Type: application/json\r\nContent-Length: ")
            .append(body.length)
            .append("\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    c.out.write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
    c.out.write(body);
    c.out.flush();
    return c;
  }

  /** Reads the status line and headers; returns the status. */
  int readHead() throws IOException {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    while (!h.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("the connection ended in the response head: " + h);
      }
      h.write(c);
    }
    head = h.toString(StandardCharsets.ISO_8859_1);
    return Integer.parseInt(head.substring(9, 12));
  }

  /** A response header's value (after {@link #readHead()}), or null. */
  String header(String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /**
   * The body of a response whose head was read, up to {@code max} bytes (chunked or with a length;
   * a chunk or body cut short throws {@link PartialFrame}).
   */
  byte[] readBody(int max) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = header("Content-Length");
    boolean chunked =
        "chunked".equalsIgnoreCase(String.valueOf(header("Transfer-Encoding")).trim());
    if (!chunked) {
      long n = length == null ? Long.MAX_VALUE : Long.parseLong(length);
      readInto(body, Math.min(n, max), length != null);
      return body.toByteArray();
    }
    while (body.size() < max) {
      String size = line();
      long n = Long.parseLong(size.split(";")[0].trim(), 16);
      if (n == 0) {
        line();
        break;
      }
      readInto(body, Math.min(n, max - body.size()), true);
      if (body.size() < max) {
        line();
      }
    }
    return body.toByteArray();
  }

  private void readInto(ByteArrayOutputStream body, long n, boolean exact) throws IOException {
    byte[] buf = new byte[8192];
    long got = 0;
    while (got < n) {
      int r;
      try {
        r = in.read(buf, 0, (int) Math.min(buf.length, n - got));
      } catch (IOException e) {
        throw new PartialFrame(n, (int) got, e);
      }
      if (r < 0) {
        if (exact) {
          throw new PartialFrame(n, (int) got, new EOFException("end of stream"));
        }
        return;
      }
      body.write(buf, 0, r);
      got += r;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream l = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("end of stream in a chunk header");
      }
      if (c == '\n') {
        return l.toString(StandardCharsets.ISO_8859_1).trim();
      }
      l.write(c);
    }
  }

  /** Sends a masked text frame. */
  void sendText(String text) throws IOException {
    send(1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a masked binary frame. */
  void sendBinary(byte[] payload) throws IOException {
    send(2, payload);
  }

  private void send(int opcode, byte[] p) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x80 | opcode);
    if (p.length < 126) {
      f.write(0x80 | p.length);
    } else if (p.length < 65536) {
      f.write(0x80 | 126);
      f.write(p.length >> 8);
      f.write(p.length);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) p.length >> (8 * i)));
      }
    }
    byte[] mask = {1, 2, 3, 4};
    f.write(mask);
    for (int i = 0; i < p.length; i++) {
      f.write(p[i] ^ mask[i % 4]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /**
   * The next WebSocket frame, or null at the end of the stream; a frame cut short throws {@link
   * PartialFrame} (whose cause tells a reset from an end of stream).
   */
  Frame readFrame() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7F;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    readInto(payload, len, true);
    return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload.toByteArray());
  }

  /** Whether {@code e} (or its cause) is a connection reset, not an orderly end of stream. */
  static boolean isReset(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketException
          && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("reset")) {
        return true;
      }
    }
    return false;
  }

  /** The underlying input, for reads of a given size. */
  InputStream input() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
