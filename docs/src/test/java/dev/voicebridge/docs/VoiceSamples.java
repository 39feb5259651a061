package dev.voicebridge.docs;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The samples of docs/voices.md. */
final class VoiceSamples {
  private VoiceSamples() {}

  /** The French voices of the catalog, every page. */
  static List<Voice> french(StreamingSynthesizer tts) {
    // tag::list[]
    VoiceQuery query = VoiceQuery.builder().language("fr").pageSize(50).build();
    List<Voice> french = new ArrayList<>();
    VoicePage page = tts.voices(query).toCompletableFuture().join();
    french.addAll(page.voices());
    while (page.nextPageToken().isPresent()) {
      page =
          tts.voices(query.withPageToken(page.nextPageToken().get())).toCompletableFuture().join();
      french.addAll(page.voices());
    }
    for (Voice v : french) {
      System.out.println(
          v.id() + " " + v.name() + " " + v.languages() + " " + v.gender().orElse("?"));
    }
    // end::list[]
    return french;
  }

  /** A session in the first voice found. */
  static SynthesisSession speakIn(StreamingSynthesizer tts, List<Voice> voices) {
    // tag::use[]
    Optional<Voice> voice =
        voices.stream().filter(v -> v.gender().orElse("").equals("female")).findFirst();
    SynthesisOptions options =
        SynthesisOptions.builder()
            .format(AudioFormat.PCM_16K)
            .voice(voice.map(Voice::id).orElse(null)) // null: the provider's configured voice
            .build();
    SynthesisSession session = tts.open(options);
    // end::use[]
    return session;
  }

  /** Prewarm when a session is likely, then open it. */
  static SynthesisSession prewarmed(StreamingSynthesizer tts, SynthesisOptions options) {
    // tag::prewarm[]
    // the user started speaking: get the connection ready while they finish
    tts.prewarm(options)
        .exceptionally(
            e -> {
              System.err.println("prewarm failed (the session will connect itself): " + e);
              return null;
            });
    // ... the user stopped speaking, the reply's first tokens arrive:
    SynthesisSession session = tts.open(options); // reuses the prewarmed connection when ready
    // end::prewarm[]
    return session;
  }
}
