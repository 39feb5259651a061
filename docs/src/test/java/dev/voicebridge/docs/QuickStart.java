package dev.voicebridge.docs;

// tag::quick-start[]
import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;

public class QuickStart {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : ".");
    // the provider: -Dvoicebridge.provider=local (offline, no key), fish, elevenlabs or smallest
    try (StreamingSynthesizer tts = StreamingSynthesizers.fromConfig()) {
      speak(tts, dir);
    } // close() cancels what still runs: wait for each session's completion before it
  }

  static void speak(StreamingSynthesizer tts, Path dir) throws Exception {
    SynthesisOptions options = SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).build();

    // A whole text, pulled as an InputStream.
    try (SynthesisStream s = tts.synthesize("Hello there.", options);
        InputStream audio = s.audio()) {
      Files.copy(audio, dir.resolve("hello.pcm"), StandardCopyOption.REPLACE_EXISTING);
      System.out.println("first audio after " + millis(s.report().timeToFirstAudio()));
    }

    // LLM tokens as they arrive, with a flush at the end of each turn.
    SynthesisSession session = tts.open(options);
    Player player = new Player();
    session.events().subscribe(player); // push: audio as the vendor produces it
    for (String token : List.of("Streaming ", "text ", "in, ", "audio ", "out.")) {
      session.sendText(token);
    }
    session.flush(); // turn boundary: speak what you have now
    session.finish(); // end of input: exactly one completion (or error) follows
    SynthesisReport report = session.completion().toCompletableFuture().join();
    Files.write(dir.resolve("turn.pcm"), player.audio());
    System.out.println(
        "first audio after "
            + millis(report.timeToFirstAudio())
            + ", last audio after "
            + millis(report.timeToLastAudio())
            + ", completed after "
            + millis(report.timeToCompletion()));
  }

  static String millis(Optional<Duration> d) {
    return d.map(x -> x.toMillis() + " ms").orElse("(none)");
  }

  /** Takes each chunk as it arrives; a real player hands it to the sound device's queue. */
  static final class Player implements Flow.Subscriber<SynthesisEvent> {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE); // or a few at a time, to slow the vendor down
    }

    @Override
    public void onNext(SynthesisEvent event) {
      if (event instanceof AudioChunk chunk) { // also: WordTiming, where the vendor sends them
        synchronized (out) {
          out.writeBytes(chunk.bytes());
        }
      }
    }

    @Override
    public void onError(Throwable error) {} // completion() fails with the same error

    @Override
    public void onComplete() {}

    byte[] audio() {
      synchronized (out) {
        return out.toByteArray();
      }
    }
  }
}
// end::quick-start[]
