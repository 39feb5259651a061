package dev.voicebridge.emulator.cartesia;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The Jetty endpoint of one emulated Cartesia WebSocket. Public only because Jetty requires
 * endpoint classes to be; it is created by {@link CartesiaEmulator}, never by applications.
 */
public final class CartesiaSocket implements Session.Listener.AutoDemanding {
  private final WsConnection connection;

  CartesiaSocket(WsConnection connection) {
    this.connection = connection;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    connection.opened(s);
  }

  @Override
  public void onWebSocketText(String message) {
    connection.text(message);
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    try {
      connection.binary(payload.remaining());
    } finally {
      callback.succeed();
    }
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    // answered, and not counted as activity (INFERRED, protocol note section 3.5)
    connection.ping(payload);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    connection.closed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    connection.closed();
  }
}
