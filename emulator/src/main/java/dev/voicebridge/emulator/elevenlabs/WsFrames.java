package dev.voicebridge.emulator.elevenlabs;

import dev.voicebridge.emulator.internal.ErrorClose;
import dev.voicebridge.emulator.internal.FaultFrames;
import dev.voicebridge.emulator.internal.WireFaults;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The fault side of the WebSocket endpoints: ElevenLabs' frames for the fault engine (the error
 * frame and its 1008 close, a frame that is not JSON, an oversize audio frame, a binary frame...).
 * Called with the {@link WsSession}'s lock held.
 */
final class WsFrames implements FaultFrames {
  private final WsSession ws;
  private final WsSession.Ctx ctx;

  WsFrames(WsSession ws, WsSession.Ctx ctx) {
    this.ws = ws;
    this.ctx = ctx;
  }

  @Override
  public void error(Fault.ErrorKind kind, String detail) {
    String[] e = WsErrors.errorOf(kind);
    ws.fail(e[0], e[1] + " (" + (detail == null ? Fault.MESSAGE : detail) + ")");
  }

  @Override
  public void disconnect(boolean abrupt) {
    ws.stop();
    Session s = ws.session();
    if (abrupt) {
      // drop the connection without a close frame, once the frames before are written
      ws.lastSend().whenComplete((v, x) -> s.disconnect());
    } else {
      s.close(1000, "", Callback.NOOP);
    }
  }

  @Override
  public void stall() {
    ws.stop();
  }

  @Override
  public boolean malformed(String detail) {
    ws.session()
        .sendText(
            "{\"audio\": \""
                + (detail == null ? Fault.MESSAGE + ": this frame is not JSON" : detail),
            Callback.NOOP);
    return true;
  }

  @Override
  public boolean oversize(int bytes) {
    ws.sendOversize(ctx, bytes);
    return true;
  }

  @Override
  public boolean wrongType() {
    ws.session()
        .sendBinary(
            ByteBuffer.wrap((Fault.MESSAGE + ": a binary frame").getBytes(StandardCharsets.UTF_8)),
            Callback.NOOP);
    return true;
  }

  @Override
  public boolean closeWithReason(String reason) {
    ws.stop();
    ErrorClose.close(ws.session(), 1008, reason, executor());
    return true;
  }

  @Override
  public boolean endlessFrame() {
    ws.stop();
    byte[] head = "{\"audio\":\"".getBytes(StandardCharsets.US_ASCII);
    ws.endless(WireFaults.endlessFragments(ws.session(), false, head, (byte) 'A', executor()));
    return true;
  }

  @Override
  public boolean truncatedFrame() {
    ws.stop();
    byte[] audio = new byte[WireFaults.TRUNCATED_LENGTH];
    String frame = ws.audioFrame(ctx, Base64.getEncoder().encodeToString(audio), null, null);
    WireFaults.truncateWebSocket(
        ws.session(), ws.endPoint(), false, frame.getBytes(StandardCharsets.UTF_8), executor());
    return true;
  }

  @Override
  public boolean endlessAudio() {
    ws.stop();
    byte[] silence = new byte[640];
    String frame = ws.audioFrame(ctx, Base64.getEncoder().encodeToString(silence), null, null);
    Session s = ws.session();
    ws.endless(
        WireFaults.repeat(
            executor(),
            () -> {
              if (!s.isOpen()) {
                return null;
              }
              CompletableFuture<Void> f = new CompletableFuture<>();
              ws.emulator().config().audioTap().writing("elevenlabs", silence);
              s.sendText(frame, Callback.from(() -> f.complete(null), f::completeExceptionally));
              return f;
            }));
    return true;
  }

  private ScheduledExecutorService executor() {
    return ws.emulator().pacer.executor();
  }
}
