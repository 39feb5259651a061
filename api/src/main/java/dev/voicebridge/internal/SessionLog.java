package dev.voicebridge.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.observe.SessionInfo;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionObserver;
import java.time.Duration;

/**
 * The library's own session log ({@code dev.voicebridge.session}), a listener on every session:
 * lifecycle at debug (opened, connected, first audio, the outcome with its figures), a protocol
 * violation at warn. Never text (only its length), never audio, never a secret.
 */
final class SessionLog implements SessionListener {
  static final SessionLog INSTANCE = new SessionLog();
  private static final Log LOG = Log.get("dev.voicebridge.session");

  private SessionLog() {}

  @Override
  public SessionObserver opened(SessionInfo s) {
    String tag = "[" + s.provider() + "] session";
    LOG.debug(
        () ->
            tag
                + " opened: transport="
                + s.transport().orElse("?")
                + ", model="
                + s.model().orElse("default")
                + ", format="
                + s.format());
    return new SessionObserver() {
      @Override
      public void connected(Duration setup, boolean reused) {
        LOG.debug(
            () -> tag + " connected in " + ms(setup) + (reused ? " (reused connection)" : ""));
      }

      @Override
      public void firstAudio(Duration timeToFirstAudio) {
        LOG.debug(() -> tag + " first audio after " + ms(timeToFirstAudio));
      }

      @Override
      public void completed(SynthesisReport r) {
        LOG.debug(() -> tag + " completed: " + figures(r));
      }

      @Override
      public void failed(VoicebridgeException error, SynthesisReport r) {
        if (error instanceof ProtocolException) {
          LOG.warn(tag + " failed on a protocol violation: " + Log.describe(error));
        } else {
          LOG.debug(
              () ->
                  tag
                      + " failed ("
                      + (error.isRetryable() ? "retryable" : "not retryable")
                      + "): "
                      + Log.describe(error)
                      + "; "
                      + figures(r));
        }
      }

      @Override
      public void cancelled(SynthesisReport r) {
        LOG.debug(() -> tag + " cancelled: " + figures(r));
      }
    };
  }

  private static String figures(SynthesisReport r) {
    return "first audio "
        + r.timeToFirstAudio().map(SessionLog::ms).orElse("-")
        + ", "
        + r.charactersSent()
        + " chars, "
        + r.bytesReceived()
        + " bytes in "
        + r.chunks()
        + " chunks, "
        + ms(r.audioDuration())
        + " of audio"
        + (r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " warning(s)");
  }

  private static String ms(Duration d) {
    return d.toMillis() + " ms";
  }
}
