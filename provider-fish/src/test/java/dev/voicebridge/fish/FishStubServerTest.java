package dev.voicebridge.fish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.fish.internal.FishCodec;
import dev.voicebridge.spi.ProviderContext;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A raw WebSocket stub (not an emulator) for what the emulator cannot do: a server that pings the
 * client, and a server whose connection is gone without anything telling the client.
 */
class FishStubServerTest {
  private ServerSocket server;
  private Thread thread;
  private final CompletableFuture<byte[]> pong = new CompletableFuture<>();
  private volatile boolean answerNothing;
  private volatile byte[] script; // raw frames sent after the client's stop, when set

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
    thread = new Thread(this::serve, "fish-test-stub");
    thread.setDaemon(true);
    thread.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }

  private void serve() {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      String key = null;
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          String l = line.toString().trim();
          if (l.isEmpty()) {
            break;
          }
          if (l.toLowerCase().startsWith("sec-websocket-key:")) {
            key = l.substring(18).trim();
          }
          line.setLength(0);
        } else {
          line.append((char) c);
        }
      }
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest(
                          (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                              .getBytes(StandardCharsets.US_ASCII)));
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + accept
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      if (!answerNothing) {
        out.write(new byte[] {(byte) 0x89, 3, 'a', 'b', 'c'}); // ping "abc"
      }
      out.flush();
      DataInputStream d = new DataInputStream(in);
      for (; ; ) {
        int b0 = d.readUnsignedByte();
        int b1 = d.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = d.readUnsignedShort();
        } else if (len == 127) {
          len = d.readLong();
        }
        byte[] mask = new byte[4];
        d.readFully(mask);
        byte[] payload = new byte[(int) len];
        d.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
        if ((b0 & 0x0f) == 0x0A) {
          pong.complete(payload);
        }
        if ((b0 & 0x0f) == 0x02 && script != null) {
          Object event = FishCodec.unpack(payload);
          if (event instanceof Map<?, ?> m && "stop".equals(m.get("event"))) {
            out.write(script);
            out.flush();
          }
        }
        // everything else (start, text, stop, pings) gets no answer at all
      }
    } catch (Exception e) {
      // the client went away or the test ended
    }
  }

  private StreamingSynthesizer synth() {
    return new FishProvider()
        .create(
            ProviderContext.of(
                "fish",
                VoicebridgeConfig.of(
                    Map.of(
                        "voicebridge.fish.api-key", "k",
                        "voicebridge.fish.base-url", "http://127.0.0.1:" + server.getLocalPort(),
                        "voicebridge.fish.response-timeout", "4s"))));
  }

  private static byte[] frame(int firstByte, byte[] payload) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(firstByte);
    if (payload.length < 126) {
      b.write(payload.length);
    } else {
      b.write(126);
      b.write(payload.length >> 8);
      b.write(payload.length & 0xff);
    }
    b.writeBytes(payload);
    return b.toByteArray();
  }

  private static byte[] event(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return FishCodec.pack(m);
  }

  @Test
  void fragmentedFramesAreJoinedAndTextFramesAndUnknownEventsIgnored() {
    byte[] audio1 = new byte[300];
    byte[] audio2 = new byte[200];
    Arrays.fill(audio1, (byte) 1);
    Arrays.fill(audio2, (byte) 2);
    byte[] a1 = event("event", "audio", "audio", audio1);
    byte[] a2 = event("event", "audio", "audio", audio2);
    java.io.ByteArrayOutputStream sc = new java.io.ByteArrayOutputStream();
    sc.writeBytes(frame(0x81, "{\"event\":\"audio\"}".getBytes(StandardCharsets.UTF_8)));
    sc.writeBytes(frame(0x82, event("event", "log", "message", "warming up")));
    // a1 in three fragments: binary (not final), continuation, continuation (final)
    sc.writeBytes(frame(0x02, Arrays.copyOfRange(a1, 0, 100)));
    sc.writeBytes(frame(0x00, Arrays.copyOfRange(a1, 100, 200)));
    sc.writeBytes(frame(0x80, Arrays.copyOfRange(a1, 200, a1.length)));
    sc.writeBytes(frame(0x89, new byte[] {7})); // a ping between messages
    sc.writeBytes(frame(0x82, a2));
    sc.writeBytes(frame(0x82, event("event", "finish", "reason", "stop")));
    script = sc.toByteArray();
    try (StreamingSynthesizer s = synth()) {
      var session = s.open();
      var stream = session.stream();
      session.sendText("Hello.");
      session.finish();
      byte[] audio = stream.readAllAudio();
      byte[] expected = new byte[500];
      System.arraycopy(audio1, 0, expected, 0, 300);
      System.arraycopy(audio2, 0, expected, 300, 200);
      assertThat(audio).isEqualTo(expected);
      assertThat(stream.report().outcome())
          .isEqualTo(dev.voicebridge.SynthesisReport.Outcome.COMPLETED);
    }
  }

  @Test
  void serverPingsAreAnswered() throws Exception {
    try (StreamingSynthesizer s = synth()) {
      var session = s.open();
      session.sendText("Hello.");
      assertThat(pong.get(10, TimeUnit.SECONDS))
          .isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
      session.cancel();
    }
  }

  @Test
  void aSocketThatStopsAnsweringPingsFailsTheSessionBeforeTheResponseTimeout() {
    answerNothing = true;
    try (StreamingSynthesizer s = synth()) {
      var session = s.open();
      var stream = session.stream();
      session.sendText("Hello.");
      session.finish();
      // response-timeout is 4 s; the probe (a quarter of it) pings after 1 s of silence and
      // gives up 1 s later, so the failure is a TransportException, not a timeout
      Throwable t = catchThrowable(stream::readAllAudio);
      assertThat(t)
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("stopped answering");
      assertThat(Arrays.asList(t.getMessage().split(" "))).doesNotContain("k");
    }
  }
}
