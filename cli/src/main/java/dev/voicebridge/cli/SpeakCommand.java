package dev.voicebridge.cli;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.LimitExceededException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.WordTiming;
import dev.voicebridge.elevenlabs.ElevenLabsOptions;
import dev.voicebridge.smallest.SmallestOptions;
import dev.voicebridge.text.shaping.Lexicon;
import dev.voicebridge.text.shaping.TextShaping;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code voicebridge speak}: text to an audio file, streamed as it is produced. */
@Command(
    name = "speak",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Synthesize text with the configured provider (local by default) into an audio file.",
      "Prints time to first audio and progress to stderr. The file appears only when the audio is"
          + " complete; Ctrl-C keeps the audio so far as a shorter, valid recording (exit 130)."
    })
final class SpeakCommand implements Callable<Integer> {
  /** The largest value {@code max-text-chars} accepts ({@code Limits.MAX_TEXT_CHARS}). */
  private static final long MAX_TEXT_CHARS_CEILING = 100_000_000L;

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Mixin ConfigOptions configOptions;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TEXT",
      description = "The text to speak (or --text-file, or --tokens).")
  String text;

  @Option(
      names = "--text-file",
      paramLabel = "FILE",
      description = "Speak the whole text of FILE (UTF-8); - reads standard input to its end.")
  String textFile;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "FILE",
      description =
          "Output file: .wav (pcm, mulaw or alaw in a WAV header), .pcm, .raw, .mp3, .opus, .ogg,"
              + " .ulaw, .mulaw or .alaw.")
  Path out;

  @Option(names = "--provider", description = "Provider name (default: configured, else local).")
  String provider;

  @Option(names = "--voice", description = "The vendor's voice id.")
  String voice;

  @Option(names = "--model", description = "The vendor's model id.")
  String model;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "pcm, wav, mp3, opus, mulaw or alaw, optionally with _RATE (default: from the file"
              + " name).")
  String format;

  @Option(names = "--sample-rate", paramLabel = "HZ", description = "Sample rate in Hz.")
  Integer sampleRate;

  @Option(
      names = "--tokens",
      description = "Read text from stdin as it arrives: each line a token, an empty line a flush.")
  boolean tokens;

  @Option(
      names = "--timings",
      description = "Print word timings to stdout (start and end in seconds, then the word).")
  boolean timings;

  @Option(
      names = "--estimate-timings",
      description =
          "With a provider that sends no word timings, estimate them from the text and the audio"
              + " (implies --timings; each line then ends with 'estimated').")
  boolean estimateTimings;

  @Option(
      names = "--markdown",
      description =
          "Read the text as markdown: emphasis, links, code, lists, headings and tables are spoken,"
              + " not their marks.")
  boolean markdown;

  @Option(
      names = "--lexicon",
      paramLabel = "FILE",
      description =
          "A pronunciation lexicon (UTF-8 lines 'word = how to say it'), applied before the"
              + " provider sees the text.")
  Path lexicon;

  private volatile SynthesisSession session;
  private volatile boolean stopped;
  private volatile TokenFeeder feeder;

  /** Ctrl-C: cancel the session; the audio so far is kept. */
  void stop() {
    stopped = true;
    SynthesisSession s = session;
    if (s != null) {
      s.cancel();
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    String whole = wholeText();
    AudioFileWriter.Container container = container(out);
    checkWritable(out);
    TextShaping.Builder shapingAsked = shaping();
    timings |= estimateTimings;
    VoicebridgeConfig config = configOptions.config(main.redactor());
    if (provider != null) {
      config = config.withOverrides(Map.of(StreamingSynthesizers.PROVIDER_KEY, provider));
    } else if (config.get(StreamingSynthesizers.PROVIDER_KEY).isEmpty()) {
      config = config.withOverrides(Map.of(StreamingSynthesizers.PROVIDER_KEY, "local"));
    }
    StreamingSynthesizer vendor = StreamingSynthesizers.fromConfig(config); // closed by synth
    TextShaping shaping = null;
    if (shapingAsked != null) {
      // estimates only where the vendor has no timings of its own to give (askForTimings)
      boolean estimate = estimateTimings && !givesTimings(vendor);
      if (estimate) {
        shapingAsked.estimateWordTimings();
      }
      if (markdown || lexicon != null || estimate) {
        shaping = shapingAsked.build();
      }
    }
    try (StopSignal.Registration stopping = main.stop().register(this::stop);
        StreamingSynthesizer synth = shaped(shaping, vendor)) {
      AudioFormat f = chooseFormat(synth, container);
      SynthesisOptions.Builder ob = SynthesisOptions.builder().format(f).voice(voice).model(model);
      if (timings) {
        askForTimings(vendor, ob); // the vendor's own: the shaping declares timings it may estimate
      }
      SynthesisSession s = synth.open(ob.build());
      session = s;
      if (stopped) {
        s.cancel();
      }
      SynthesisStream stream = s.stream();
      if (tokens) {
        feeder = new TokenFeeder(s, main.in());
        feeder.start();
      } else {
        s.sendText(whole);
        s.finish();
      }
      try (AudioFileWriter writer = AudioFileWriter.open(out, f)) {
        long words = 0;
        try {
          words = receive(stream, writer, f, err, stdout);
        } catch (SynthesisCancelledException e) {
          if (!stopped && !emptyInput()) {
            throw e;
          }
        } catch (LimitExceededException e) {
          throw tooMuchText(e, synth.provider(), whole);
        } finally {
          stream.close();
          TokenFeeder t = feeder;
          if (t != null) {
            t.interrupt();
          }
        }
        if (console()) {
          err.println();
        }
        if (stopped) {
          return interrupted(writer, f, err);
        }
        if (emptyInput()) {
          throw new Errors.UsageException("nothing to say: standard input had no text");
        }
        writer.commit();
        SynthesisReport r = stream.report();
        err.printf(
            Locale.ROOT,
            "done: %s, %d chunks, %d bytes to %s (first audio %s, last audio %s, completed %s)%n",
            f,
            r.chunks(),
            r.bytesReceived(),
            out,
            ms(r.timeToFirstAudio().orElse(null)),
            ms(r.timeToLastAudio().orElse(null)),
            ms(r.timeToCompletion().orElse(null)));
        r.warnings().forEach(w -> err.println("warning: " + w));
        if (timings && words == 0) {
          err.println(
              "voicebridge: "
                  + (estimateTimings && !f.isUncompressed()
                      ? "no word timings: estimates need uncompressed audio, not " + f
                      : noTimings(vendor)));
        }
        err.flush();
        stdout.flush();
        return 0;
      }
    }
  }

  /** Reads the session's events into the file; returns the number of word timings. */
  private long receive(
      SynthesisStream stream,
      AudioFileWriter writer,
      AudioFormat f,
      PrintWriter err,
      PrintWriter stdout)
      throws IOException {
    long chunks = 0;
    long words = 0;
    while (stream.hasNext()) {
      SynthesisEvent e = stream.next();
      if (e instanceof AudioChunk c) {
        if (chunks++ == 0 && c.sinceFirstText() != null) {
          err.printf(
              Locale.ROOT, "first audio after %.0f ms%n", c.sinceFirstText().toNanos() / 1e6);
          err.flush();
        }
        ByteBuffer data = c.data();
        writer.write(data);
        if (console()) { // a progress line only where it can be redrawn
          err.printf(
              Locale.ROOT,
              "\rreceived %d chunks, %.2f s of audio",
              chunks,
              f.durationOf(writer.dataBytes()).toMillis() / 1000.0);
          err.flush();
        }
      } else if (e instanceof WordTiming w) {
        words++;
        if (timings) {
          stdout.printf(
              Locale.ROOT, "%8.3f %8.3f %s", seconds(w.start()), seconds(w.end()), w.word());
          if (w.hasTextOffsets() && (markdown || lexicon != null)) { // where it is in the input
            stdout.printf(Locale.ROOT, "\t[%d,%d)", w.textStart(), w.textEnd());
          }
          if (w.estimated()) {
            stdout.print("\testimated");
          }
          stdout.println();
        }
      }
    }
    return words;
  }

  /** Ctrl-C came: keep the audio so far as a complete, shorter file; exit 130. */
  private int interrupted(AudioFileWriter writer, AudioFormat f, PrintWriter err)
      throws IOException {
    if (writer.dataBytes() == 0) {
      err.println("voicebridge: interrupted before any audio arrived; " + out + " not written");
    } else {
      writer.commit();
      Duration d = f.durationOf(writer.dataBytes());
      err.println(
          "voicebridge: interrupted; kept "
              + (d.isZero()
                  ? writer.dataBytes() + " bytes"
                  : String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0))
              + " of audio in "
              + out
              + " (a complete, shorter recording)");
    }
    err.flush();
    return Main.INTERRUPTED;
  }

  private boolean emptyInput() {
    TokenFeeder t = feeder;
    return t != null && t.empty;
  }

  private static boolean console() {
    return System.console() != null;
  }

  /**
   * The text shaping --markdown, --lexicon and --estimate-timings ask for (the estimate added once
   * the provider is known), or null for none.
   */
  private TextShaping.Builder shaping() throws IOException {
    if (!markdown && lexicon == null && !estimateTimings) {
      return null;
    }
    TextShaping.Builder b = TextShaping.builder();
    if (markdown) {
      b.markdown();
    }
    if (lexicon != null) {
      if (!Files.isRegularFile(lexicon) || !Files.isReadable(lexicon)) {
        throw new Errors.UsageException("cannot read --lexicon " + lexicon);
      }
      try {
        b.lexicon(Lexicon.load(lexicon));
      } catch (CharacterCodingException e) {
        throw new Errors.UsageException("cannot read --lexicon " + lexicon + ": it is not UTF-8");
      } catch (IllegalArgumentException e) {
        throw new Errors.UsageException("--lexicon " + e.getMessage());
      }
    }
    return b;
  }

  /** Whether {@code vendor} gives word timings of its own once {@link #askForTimings} asked. */
  private static boolean givesTimings(StreamingSynthesizer vendor) {
    return vendor.capabilities().wordTimings() || vendor.provider().equals("elevenlabs");
  }

  private static StreamingSynthesizer shaped(TextShaping shaping, StreamingSynthesizer synth) {
    return shaping == null ? synth : shaping.wrap(synth);
  }

  /** The text of TEXT or --text-file; null with --tokens. Exactly one of the three. */
  private String wholeText() throws IOException {
    int ways = (text != null ? 1 : 0) + (textFile != null ? 1 : 0) + (tokens ? 1 : 0);
    if (ways > 1) {
      throw new Errors.UsageException("give the text one way: TEXT, --text-file FILE or --tokens");
    }
    if (tokens) {
      return null;
    }
    if (textFile == null) {
      if (text == null || text.isBlank()) {
        throw new Errors.UsageException(
            "nothing to say: give TEXT, --text-file FILE (- for stdin) or --tokens");
      }
      return text;
    }
    String from = textFile.equals("-") ? "standard input" : textFile;
    byte[] bytes;
    if (textFile.equals("-")) {
      bytes = main.in().readAllBytes();
    } else {
      Path p = Path.of(textFile);
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new Errors.UsageException("cannot read --text-file " + textFile);
      }
      bytes = Files.readAllBytes(p);
    }
    String t;
    try {
      t =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new Errors.UsageException("cannot read " + from + ": it is not UTF-8 text");
    }
    if (t.isBlank()) {
      throw new Errors.UsageException("nothing to say: " + from + " has no text");
    }
    return t;
  }

  /** The max-text-chars message, with advice that fits how the text was given. */
  private RuntimeException tooMuchText(LimitExceededException e, String provider, String whole) {
    if (!"max-text-chars".equals(e.key())) {
      return e;
    }
    String key = "voicebridge." + provider + "." + e.key();
    long max = MAX_TEXT_CHARS_CEILING;
    if (tokens) {
      return new Errors.UsageException(
          String.format(
              Locale.ROOT,
              "[%s] more than %d characters of standard input came without a flush (%s = %d);"
                  + " send an empty line (a flush) at least every %d characters, or raise the"
                  + " limit, e.g. -D %s=%d",
              provider,
              e.limit(),
              key,
              e.limit(),
              e.limit(),
              key,
              Math.min(max, e.limit() * 10)));
    }
    long n = whole.length();
    String how = textFile == null ? "the text" : "the text of " + textFile;
    return new Errors.UsageException(
        String.format(
            Locale.ROOT,
            "[%s] %s has %d characters, more than one request may hold (%s = %d); %s",
            provider,
            how,
            n,
            key,
            e.limit(),
            n <= max
                ? "raise the limit with -D " + key + "=" + n
                : "split it into parts of at most " + max + " characters"));
  }

  private void askForTimings(StreamingSynthesizer synth, SynthesisOptions.Builder ob) {
    switch (synth.provider()) {
      case SmallestOptions.PROVIDER -> {
        if (synth.capabilities().wordTimings()) {
          ob.set(SmallestOptions.WORD_TIMESTAMPS, true);
        }
      }
      case "elevenlabs" -> {
        if (!synth.capabilities().wordTimings()) { // HTTP /stream: its sibling has timestamps
          ob.set(ElevenLabsOptions.TRANSPORT, ElevenLabsOptions.HTTP_TIMESTAMPS);
        }
      }
      default -> {
        // the other providers send timings when they can, or none at all
      }
    }
  }

  private static String noTimings(StreamingSynthesizer synth) {
    String p = synth.provider();
    if (synth.capabilities().wordTimings() || p.equals("elevenlabs")) {
      return "no word timings: " + p + " sent none for this voice and text";
    }
    if (p.equals(SmallestOptions.PROVIDER)) {
      return "no word timings: smallest sends them over its WebSocket only, not over "
          + String.join(", ", synth.capabilities().transports());
    }
    if (p.equals("cartesia")) {
      return "no word timings: cartesia sends them over websocket and sse, not over "
          + String.join(", ", synth.capabilities().transports());
    }
    return "no word timings: " + p + " does not send any (--estimate-timings estimates them)";
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String ms(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.0f ms", d.toNanos() / 1e6);
  }

  private static AudioFileWriter.Container container(Path file) {
    return AudioFileWriter.Container.of(file)
        .orElseThrow(
            () ->
                new Errors.UsageException(
                    "cannot write "
                        + file
                        + ": the file name must end in "
                        + AudioFileWriter.Container.EXTENSIONS
                        + " (audio is written as the provider sends it, never converted)"));
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
    if (Files.exists(abs) && !Files.isWritable(abs) || !Files.isWritable(dir)) {
      throw new Errors.UsageException("cannot write " + file + ": permission denied");
    }
  }

  private AudioFormat chooseFormat(StreamingSynthesizer synth, AudioFileWriter.Container c) {
    AudioFormat base = synth.capabilities().defaultFormat();
    AudioFormat f;
    if (format != null) {
      try {
        f = AudioFormat.parse(format);
      } catch (IllegalArgumentException e) {
        throw new Errors.UsageException(e.getMessage());
      }
      boolean rateGiven = format.contains("_") || format.contains("/");
      if (rateGiven && sampleRate != null && sampleRate != f.sampleRate()) {
        throw new Errors.UsageException(
            "--format "
                + format
                + " says "
                + f.sampleRate()
                + " Hz but --sample-rate says "
                + sampleRate
                + " Hz: give the rate once");
      }
      if (!rateGiven && sampleRate == null) {
        f =
            base.encoding() == f.encoding()
                ? base
                : new AudioFormat(f.encoding(), f.sampleRate(), 1);
      }
    } else {
      f = c.defaultFormat(base);
    }
    if (sampleRate != null) {
      if (sampleRate <= 0) {
        throw new Errors.UsageException("--sample-rate must be positive");
      }
      f = new AudioFormat(f.encoding(), sampleRate, f.channels());
    }
    if (!c.holds(f.encoding())) {
      throw new Errors.UsageException(
          "cannot write "
              + f
              + " audio into "
              + out.getFileName()
              + ": that file holds "
              + c.holdsText()
              + "; choose another --format or file name");
    }
    return f;
  }

  /** Sends stdin to the session as it arrives: a line is a token, an empty line a flush. */
  private static final class TokenFeeder extends Thread {
    private final SynthesisSession session;
    private final InputStream in;
    private volatile boolean empty;

    TokenFeeder(SynthesisSession session, InputStream in) {
      super("voicebridge-cli-stdin");
      setDaemon(true);
      this.session = session;
      this.in = in;
    }

    @Override
    public void run() {
      boolean sawText = false;
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isEmpty()) {
            session.flush();
          } else {
            sawText |= !line.isBlank();
            session.sendText(line);
          }
        }
        if (sawText) {
          session.finish();
        } else {
          empty = true; // like speak "": nothing to say, no file
          session.cancel();
        }
      } catch (IOException e) {
        session.cancel();
      } catch (IllegalStateException e) {
        // the session ended first
      }
    }
  }
}
