package dev.voicebridge.emulator.elevenlabs;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The Jetty endpoint of one emulated ElevenLabs WebSocket. Public only because Jetty requires
 * endpoint classes to be; it is created by {@link ElevenLabsEmulator}, never by applications.
 */
public final class ElevenLabsSocket implements Session.Listener.AutoDemanding {
  private final WsSession session;

  ElevenLabsSocket(WsSession session) {
    this.session = session;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session.opened(s);
  }

  @Override
  public void onWebSocketText(String message) {
    session.text(message);
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    try {
      session.binary(payload);
    } finally {
      callback.succeed();
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    session.closed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    session.closed();
  }
}
