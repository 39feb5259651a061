package dev.voicebridge.emulator.internal;

import dev.voicebridge.emulator.EmulatorControl;
import dev.voicebridge.spi.conformance.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The fault engine: the fault of one session and the decision of when it fires. Every vendor and
 * transport drives it the same way and supplies only its frames ({@link FaultFrames}) and its
 * refusal ({@link Refusal}):
 *
 * <ol>
 *   <li>the handshake (a WebSocket upgrade, an HTTP request, after its body is read) calls {@link
 *       #answerHandshake}: a refused status, echoed credentials in the refusal body, an HTML page
 *       instead of audio, or a slow answer happen there;
 *   <li>before each audio frame the session calls {@link #beforeAudio}, and after it {@link
 *       #audioSent}: a fault counted in audio frames fires before the frame it is due at;
 *   <li>before its completion the session calls {@link #beforeCompletion}: a counted fault due
 *       after more frames than the session had fires there (so it is always seen), and endless
 *       audio starts there;
 *   <li>after the completion, {@link #closeAfterCompletion} says whether to close the connection.
 * </ol>
 *
 * A plan takes its fault from the emulator's queue once ({@link #take}); it fires at most once. Not
 * thread-safe: the session's lock guards it.
 */
public final class FaultPlan {
  /** The prefix of a close reason that echoes credentials. */
  static final String ECHO_REASON = "invalid credentials: ";

  private final Fault fault;
  private final String credential;
  private int chunks;
  private boolean fired;

  private FaultPlan(Fault fault, String credential) {
    this.fault = fault;
    this.credential = credential == null ? "" : credential;
  }

  /**
   * Takes the next injected fault (consuming it) for a new session.
   *
   * @param credential the value of the credential header the client sent (echoed by {@link
   *     Fault.EchoCredentials}), or null
   */
  public static FaultPlan take(EmulatorControl control, String credential) {
    return new FaultPlan(control.takeFault(), credential);
  }

  /** A plan for {@code fault} (null for none). */
  public static FaultPlan of(Fault fault, String credential) {
    return new FaultPlan(fault, credential);
  }

  /** A plan without a fault. */
  public static FaultPlan none() {
    return new FaultPlan(null, null);
  }

  /** The fault, or null. */
  public Fault fault() {
    return fault;
  }

  /** Whether the fault is of {@code kind}. */
  public boolean is(Class<? extends Fault> kind) {
    return kind.isInstance(fault);
  }

  /** Whether the fault has fired. */
  public boolean fired() {
    return fired;
  }

  /**
   * Marks the fault as fired by the vendor itself (a fault the plan does not apply, such as a close
   * after completion on a socket that otherwise stays open).
   */
  public void consume() {
    fired = true;
  }

  /** Audio frames counted so far ({@link #audioSent}). */
  public int chunks() {
    return chunks;
  }

  /**
   * Whether {@code f} belongs to the handshake (it is applied by {@link #answerHandshake}, not
   * during the session).
   */
  public static boolean isHandshakeFault(Fault f) {
    return f instanceof Fault.HandshakeStatus
        || f instanceof Fault.SlowHandshake
        || f instanceof Fault.HtmlInsteadOfAudio
        || (f instanceof Fault.EchoCredentials e
            && e.channel() == Fault.EchoCredentials.Channel.REFUSAL_BODY);
  }

  /** Whether this plan's fault belongs to the handshake. */
  public boolean isHandshakeFault() {
    return isHandshakeFault(fault);
  }

  /**
   * The audio frames the session sends before the fault, or -1 for a fault that does not fire
   * during the session's audio. Echoed credentials in a frame fire before the first audio frame.
   */
  public static int afterChunks(Fault f) {
    if (f instanceof Fault.ErrorFrame x) {
      return x.afterChunks();
    } else if (f instanceof Fault.Disconnect x) {
      return x.afterChunks();
    } else if (f instanceof Fault.Stall x) {
      return x.afterChunks();
    } else if (f instanceof Fault.MalformedFrame x) {
      return x.afterChunks();
    } else if (f instanceof Fault.OversizeFrame x) {
      return x.afterChunks();
    } else if (f instanceof Fault.WrongFrameType x) {
      return x.afterChunks();
    } else if (f instanceof Fault.EndlessFrame x) {
      return x.afterChunks();
    } else if (f instanceof Fault.TruncatedFrame x) {
      return x.afterChunks();
    } else if (f instanceof Fault.EchoCredentials && !isHandshakeFault(f)) {
      return 0;
    }
    return -1;
  }

  /** This plan's {@link #afterChunks(Fault)}. */
  public int afterChunks() {
    return afterChunks(fault);
  }

  /** Whether a fault counted in audio frames has yet to fire. */
  public boolean pending() {
    return !fired && afterChunks() >= 0;
  }

  // ------------------------------------------------------------------ handshake

  /**
   * Applies a handshake fault. Call it where the vendor would refuse a request, after reading the
   * request's body (a slow answer watches the connection for the client's leaving, which reading
   * would disturb). A plan whose fault is not a handshake fault does nothing here.
   *
   * @param refusal the vendor's refusal (status and error body)
   * @return true if the request has been answered (or the client left and the connection was
   *     closed): the vendor must not answer it; false if the vendor goes on as usual
   */
  public boolean answerHandshake(
      Request request, Response response, Callback callback, Refusal refusal) {
    if (!isHandshakeFault() || fired) {
      return false;
    }
    fired = true;
    if (fault instanceof Fault.HandshakeStatus hs) {
      refusal.refuse(response, callback, hs.status(), hs.retryAfter(), null);
      return true;
    }
    if (fault instanceof Fault.EchoCredentials) {
      refusal.refuse(response, callback, 401, null, echo());
      return true;
    }
    if (fault instanceof Fault.HtmlInsteadOfAudio) {
      WireFaults.html(response, callback);
      return true;
    }
    Fault.SlowHandshake slow = (Fault.SlowHandshake) fault;
    if (WireFaults.awaitUnlessClientLeaves(EmulatorServer.endPoint(request), slow.delay())) {
      return false;
    }
    callback.failed(new IOException("the client left during a slow handshake"));
    return true;
  }

  // ------------------------------------------------------------------ during the session

  /**
   * Before an audio frame: fires the fault if it is due at this frame.
   *
   * @return true if the frame may be sent; false if the session is over
   */
  public boolean beforeAudio(FaultFrames frames) {
    if (fired || fault == null) {
      return true;
    }
    int after = afterChunks();
    if (after < 0 || chunks < after) {
      return true;
    }
    fired = true;
    return apply(frames);
  }

  /** Counts an audio frame sent. */
  public void audioSent() {
    chunks++;
  }

  /**
   * Before the completion: fires a counted fault that was due after more frames than the session
   * had, and starts endless audio.
   *
   * @return true if the completion may be sent; false if the session is over
   */
  public boolean beforeCompletion(FaultFrames frames) {
    if (fired || fault == null) {
      return true;
    }
    if (afterChunks() >= 0) {
      fired = true;
      return apply(frames);
    }
    if (fault instanceof Fault.EndlessAudio) {
      fired = true;
      return !frames.endlessAudio();
    }
    return true;
  }

  /** Whether the connection closes after the completion ({@link Fault.CloseAfterCompletion}). */
  public boolean closeAfterCompletion() {
    return fault instanceof Fault.CloseAfterCompletion;
  }

  /** Whether the fault is endless audio that has not started yet. */
  public boolean endlessAudioDue() {
    return !fired && fault instanceof Fault.EndlessAudio;
  }

  /** The credential value as the client sent it. */
  public String echo() {
    return credential;
  }

  /**
   * A close reason that echoes the credential: {@value #ECHO_REASON} and as much of the value as
   * 123 bytes of UTF-8 hold (at least 100 bytes of it).
   */
  public String echoCloseReason() {
    return truncateUtf8(ECHO_REASON + credential, 123);
  }

  /** {@code s} cut to at most {@code max} bytes of UTF-8, at a character boundary. */
  public static String truncateUtf8(String s, int max) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= max) {
      return s;
    }
    int n = max;
    while (n > 0 && (b[n] & 0xC0) == 0x80) {
      n--;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  private boolean apply(FaultFrames frames) {
    if (fault instanceof Fault.ErrorFrame f) {
      frames.error(f.kind(), null);
      return false;
    } else if (fault instanceof Fault.Disconnect d) {
      frames.disconnect(d.abrupt());
      return false;
    } else if (fault instanceof Fault.Stall) {
      frames.stall();
      return false;
    } else if (fault instanceof Fault.MalformedFrame) {
      frames.malformed(null);
      return true;
    } else if (fault instanceof Fault.OversizeFrame o) {
      frames.oversize(o.bytes());
      return true;
    } else if (fault instanceof Fault.WrongFrameType) {
      frames.wrongType();
      return true;
    } else if (fault instanceof Fault.EndlessFrame) {
      return !frames.endlessFrame();
    } else if (fault instanceof Fault.TruncatedFrame) {
      return !frames.truncatedFrame();
    } else if (fault instanceof Fault.EchoCredentials e) {
      return switch (e.channel()) {
        case ERROR_FRAME -> {
          frames.error(Fault.ErrorKind.AUTHENTICATION, echo());
          yield false;
        }
        case CLOSE_REASON -> !frames.closeWithReason(echoCloseReason());
        case MALFORMED_FRAME -> {
          frames.malformed(echo());
          yield true;
        }
        case REFUSAL_BODY -> true;
      };
    }
    return true;
  }

  @Override
  public String toString() {
    return "FaultPlan[" + fault + (fired ? ", fired" : "") + ", chunks " + chunks + "]";
  }
}
