package dev.voicebridge.emulator.elevenlabs;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal WebSocket client on a plain socket, for the one thing the JDK client does not report
 * reliably: a server that closes the TCP connection without a close frame (the JDK 17 client can
 * sit in CLOSE-WAIT without calling onClose or onError).
 */
final class SocketWs implements AutoCloseable {
  /** A frame: its opcode and payload. */
  record Frame(int opcode, byte[] payload) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  SocketWs(URI uri, String key) throws IOException {
    socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout((int) RawWs.WAIT.toMillis());
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String req =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "xi-api-key: "
            + key
            + "\r\n\r\n";
    out.write(req.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead(in);
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("no upgrade: " + head);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("EOF in the handshake");
      }
      b.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  /** Sends a masked text frame. */
  void sendText(String text) throws IOException {
    byte[] p = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x81);
    if (p.length < 126) {
      f.write(0x80 | p.length);
    } else {
      f.write(0x80 | 126);
      f.write(p.length >> 8);
      f.write(p.length & 0xFF);
    }
    f.write(new byte[4]); // a zero mask: the payload goes as is
    f.write(p);
    out.write(f.toByteArray());
    out.flush();
  }

  /**
   * Reads frames until the connection ends; returns them, and whether it ended without a close
   * frame (EOF or reset).
   */
  List<Frame> readUntilEnd() throws IOException {
    List<Frame> frames = new ArrayList<>();
    while (true) {
      int b0;
      try {
        b0 = in.read();
      } catch (java.net.SocketException reset) {
        return frames;
      }
      if (b0 < 0) {
        return frames;
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
      frames.add(new Frame(b0 & 0x0F, payload));
      if ((b0 & 0x0F) == 8) {
        return frames;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
