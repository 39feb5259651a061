package dev.voicebridge.cli;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.WordTiming;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code voicebridge speak}: text to an audio file, streamed as it is produced. */
@Command(
    name = "speak",
    description = {
      "Synthesize text with the configured provider (local by default) into an audio file.",
      "Prints time to first audio and progress to stderr."
    })
final class SpeakCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions configOptions;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TEXT",
      description = "The text to speak (omit with --tokens).")
  String text;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "FILE",
      description = "Output file; .wav wraps PCM in a WAV header, .mp3 asks for MP3.")
  Path out;

  @Option(names = "--provider", description = "Provider name (default: configured, else local).")
  String provider;

  @Option(names = "--voice", description = "The vendor's voice id.")
  String voice;

  @Option(names = "--model", description = "The vendor's model id.")
  String model;

  @Option(
      names = "--format",
      description = "pcm, wav, mp3, opus, mulaw or alaw (default: from the file name).")
  String format;

  @Option(names = "--sample-rate", description = "Sample rate in Hz.")
  Integer sampleRate;

  @Option(
      names = "--tokens",
      description = "Read text from stdin as it arrives: each line a token, an empty line a flush.")
  boolean tokens;

  @Option(names = "--timings", description = "Print word timings to stdout.")
  boolean timings;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (!tokens && (text == null || text.isBlank())) {
      throw new Errors.UsageException("nothing to say: give TEXT, or --tokens to read stdin");
    }
    if (tokens && text != null) {
      throw new Errors.UsageException("give either TEXT or --tokens, not both");
    }
    checkWritable(out);
    VoicebridgeConfig config = configOptions.config();
    if (provider != null) {
      config = config.withOverrides(Map.of(StreamingSynthesizers.PROVIDER_KEY, provider));
    } else if (config.get(StreamingSynthesizers.PROVIDER_KEY).isEmpty()) {
      config = config.withOverrides(Map.of(StreamingSynthesizers.PROVIDER_KEY, "local"));
    }
    try (StreamingSynthesizer synth = StreamingSynthesizers.fromConfig(config)) {
      AudioFormat f = chooseFormat(synth);
      SynthesisOptions.Builder ob = SynthesisOptions.builder().format(f).voice(voice).model(model);
      SynthesisSession session = synth.open(ob.build());
      SynthesisStream stream = session.stream();
      Thread feeder = tokens ? feedTokens(session) : null;
      if (!tokens) {
        session.sendText(text);
        session.finish();
      }
      long chunks = 0;
      try (AudioFileWriter writer = AudioFileWriter.open(out, f)) {
        while (stream.hasNext()) {
          SynthesisEvent e = stream.next();
          if (e instanceof AudioChunk c) {
            if (chunks++ == 0 && c.sinceFirstText() != null) {
              err.printf(
                  Locale.ROOT, "first audio after %.0f ms%n", c.sinceFirstText().toNanos() / 1e6);
            }
            writer.write(c.data());
            if (System.console() != null) { // a progress line only where it can be redrawn
              err.printf(
                  Locale.ROOT,
                  "\rreceived %d chunks, %.2f s of audio",
                  chunks,
                  f.durationOf(writer.dataBytes()).toMillis() / 1000.0);
              err.flush();
            }
          } else if (e instanceof WordTiming w && timings) {
            stdout.printf(
                Locale.ROOT, "%8.3f %8.3f %s%n", seconds(w.start()), seconds(w.end()), w.word());
          }
        }
      } finally {
        stream.close();
        if (feeder != null) {
          feeder.interrupt();
        }
      }
      SynthesisReport r = stream.report();
      if (System.console() != null) {
        err.println();
      }
      err.printf(
          Locale.ROOT,
          "done: %s, %d chunks, %d bytes to %s (first audio %s, last audio %s)%n",
          f,
          r.chunks(),
          r.bytesReceived(),
          out,
          ms(r.timeToFirstAudio().orElse(null)),
          ms(r.timeToLastAudio().orElse(null)));
      r.warnings().forEach(w -> err.println("warning: " + w));
      err.flush();
      stdout.flush();
      return 0;
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String ms(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.0f ms", d.toNanos() / 1e6);
  }

  private static void checkWritable(Path file) {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new Errors.UsageException("cannot write " + file + ": no such directory " + dir);
    }
    if (Files.isDirectory(abs)) {
      throw new Errors.UsageException("cannot write " + file + ": it is a directory");
    }
    if (Files.exists(abs) ? !Files.isWritable(abs) : !Files.isWritable(dir)) {
      throw new Errors.UsageException("cannot write " + file + ": permission denied");
    }
  }

  private AudioFormat chooseFormat(StreamingSynthesizer synth) {
    AudioFormat base = synth.capabilities().defaultFormat();
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    AudioFormat f;
    if (format != null) {
      try {
        f = AudioFormat.parse(format);
      } catch (IllegalArgumentException e) {
        throw new Errors.UsageException(e.getMessage());
      }
      if (sampleRate == null && !format.contains("_")) {
        f =
            base.encoding() == f.encoding()
                ? base
                : new AudioFormat(f.encoding(), f.sampleRate(), 1);
      }
    } else if (name.endsWith(".mp3")) {
      f = AudioFormat.mp3(44_100);
    } else if (name.endsWith(".ulaw") || name.endsWith(".mulaw")) {
      f = AudioFormat.mulaw(8000);
    } else if (name.endsWith(".alaw")) {
      f = AudioFormat.alaw(8000);
    } else if (name.endsWith(".wav") || name.endsWith(".pcm") || name.endsWith(".raw")) {
      f =
          base.encoding() == AudioFormat.Encoding.PCM_S16LE
              ? base
              : AudioFormat.pcm(base.sampleRate());
    } else {
      f = base;
    }
    if (sampleRate != null) {
      if (sampleRate <= 0) {
        throw new Errors.UsageException("--sample-rate must be positive");
      }
      f = new AudioFormat(f.encoding(), sampleRate, f.channels());
    }
    return f;
  }

  private Thread feedTokens(SynthesisSession session) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.isEmpty()) {
                    session.flush();
                  } else {
                    session.sendText(line);
                  }
                }
                session.finish();
              } catch (IOException e) {
                session.cancel();
              } catch (IllegalStateException e) {
                // the session ended first
              }
            },
            "voicebridge-cli-stdin");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
