package dev.voicebridge.emulator.fish;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A minimal RFC 6455 client over a plain socket, for the tests that must see exactly how a
 * connection ends (a close frame, or a bare TCP close), which java.net.http reports unreliably.
 */
final class RawWebSocket implements AutoCloseable {
  /** A frame: its opcode (1 text, 2 binary, 8 close, 10 pong) and payload. */
  record Frame(int opcode, byte[] payload) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RawWebSocket connect(URI baseUrl, String key) throws IOException {
    Socket s = new Socket(baseUrl.getHost(), baseUrl.getPort());
    s.setSoTimeout((int) FishTestClient.TIMEOUT.toMillis());
    String req =
        "GET /v1/tts/live HTTP/1.1\r\nHost: "
            + baseUrl.getHost()
            + ":"
            + baseUrl.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Authorization: Bearer "
            + key
            + "\r\n\r\n";
    s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int c = s.getInputStream().read();
      if (c < 0) {
        throw new EOFException("no handshake response");
      }
      head.write(c);
    }
    if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
      s.close();
      throw new IOException("handshake refused: " + head);
    }
    return new RawWebSocket(s);
  }

  void sendBinary(Map<String, ?> event) throws IOException {
    byte[] p = FishTestClient.pack(event);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x82);
    if (p.length < 126) {
      f.write(0x80 | p.length);
    } else {
      f.write(0x80 | 126);
      f.write(p.length >> 8);
      f.write(p.length);
    }
    byte[] mask = {1, 2, 3, 4};
    f.write(mask);
    for (int i = 0; i < p.length; i++) {
      f.write(p[i] ^ mask[i % 4]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /** The next frame, or null at the end of the stream (a TCP close). */
  Frame read() throws IOException {
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
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0F, payload);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
