package dev.voicebridge.spring.boot;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisSession;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Speaks {@code voicebridge.cache.warm} into the phrase cache at start-up, once every bean exists:
 * one phrase after the other (vendors limit concurrent sessions), through the default synthesizer
 * with its default options, so the phrases are hits when the application first says them. A phrase
 * that fails is logged at WARN and left to be synthesized on first use: a vendor may be down at
 * start-up, and that must not stop the application. Start-up waits for the phrases, each bounded by
 * the synthesizer's response timeout.
 */
final class PhraseWarmer implements SmartInitializingSingleton {
  private static final System.Logger LOG = System.getLogger("dev.voicebridge.cache");

  private final Supplier<StreamingSynthesizer> synthesizer;
  private final List<String> phrases;

  PhraseWarmer(Supplier<StreamingSynthesizer> synthesizer, List<String> phrases) {
    this.synthesizer = synthesizer;
    this.phrases = List.copyOf(phrases);
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (phrases.isEmpty()) {
      return;
    }
    StreamingSynthesizer tts = synthesizer.get();
    int warmed = 0;
    for (String phrase : phrases) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      if (warm(tts, phrase)) {
        warmed++;
      }
    }
    int done = warmed;
    LOG.log(
        Level.DEBUG,
        () ->
            "voicebridge.cache.warm: "
                + done
                + " of "
                + phrases.size()
                + " phrases spoken into the cache by "
                + tts.provider());
  }

  /** Speaks {@code phrase}, discarding the audio; false (logged) when it failed. */
  private static boolean warm(StreamingSynthesizer tts, String phrase) {
    SynthesisSession session = null;
    try {
      session = tts.open();
      session
          .events()
          .subscribe(
              new Flow.Subscriber<SynthesisEvent>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                  s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(SynthesisEvent e) {}

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
              });
      session.sendText(phrase);
      session.finish();
      session.completion().toCompletableFuture().get();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      // the library's messages never contain a key
      LOG.log(
          Level.WARNING,
          "voicebridge.cache.warm: could not speak \"{0}\" into the cache with {1}: {2}: {3}",
          abbreviate(phrase),
          tts.provider(),
          cause.getClass().getSimpleName(),
          cause.getMessage());
      return false;
    } finally {
      if (session != null) {
        session.close();
      }
    }
  }

  private static String abbreviate(String phrase) {
    return phrase.length() <= 60 ? phrase : phrase.substring(0, 57) + "...";
  }
}
