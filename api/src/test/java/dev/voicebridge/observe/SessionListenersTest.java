package dev.voicebridge.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.fallback.FallbackSynthesizer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionListenersTest {
  static final AudioFormat PCM = AudioFormat.pcm(16_000);

  final AtomicLong now = new AtomicLong(1_000_000_000L);

  /** Records every event as a line. */
  static final class Recorder implements SessionListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<SessionInfo> sessions = new CopyOnWriteArrayList<>();

    @Override
    public SessionObserver opened(SessionInfo s) {
      sessions.add(s);
      threads.add(Thread.currentThread().getName());
      events.add("opened " + s.provider() + " " + s.transport().orElse("?"));
      return new SessionObserver() {
        @Override
        public void connected(Duration setup, boolean reused) {
          events.add("connected " + setup.toMillis() + " " + reused);
        }

        @Override
        public void firstAudio(Duration ttfa) {
          events.add("firstAudio " + ttfa.toMillis());
        }

        @Override
        public void flushAnswered(int flush, Duration latency) {
          events.add("flush " + flush + " " + latency.toMillis());
        }

        @Override
        public void completed(SynthesisReport r) {
          events.add("completed " + r.outcome() + " " + r.bytesReceived());
        }

        @Override
        public void failed(VoicebridgeException e, SynthesisReport r) {
          events.add("failed " + e.getClass().getSimpleName() + " " + r.outcome());
        }

        @Override
        public void cancelled(SynthesisReport r) {
          events.add("cancelled " + r.outcome());
        }
      };
    }
  }

  /** Throws from every method. */
  static final class Thrower implements SessionListener {
    final boolean atOpen;

    Thrower(boolean atOpen) {
      this.atOpen = atOpen;
    }

    @Override
    public SessionObserver opened(SessionInfo s) {
      if (atOpen) {
        throw new IllegalStateException("listener bug at open");
      }
      return new SessionObserver() {
        @Override
        public void connected(Duration setup, boolean reused) {
          throw new IllegalStateException("listener bug");
        }

        @Override
        public void firstAudio(Duration ttfa) {
          throw new IllegalStateException("listener bug");
        }

        @Override
        public void completed(SynthesisReport r) {
          throw new IllegalStateException("listener bug");
        }
      };
    }
  }

  private static ByteBuffer bytes(int n) {
    return ByteBuffer.wrap(new byte[n]);
  }

  @Test
  void aListenerSeesEveryEventOfASessionWithTheCoreTimings() {
    MemorySynthesizer memory = new MemorySynthesizer("mem", now::get);
    Recorder rec = new Recorder();
    StreamingSynthesizer tts = SessionListeners.observe(memory, List.of(rec));
    SynthesisSession s = tts.open(SynthesisOptions.builder().model("m1").voice("v1").build());
    assertThat(rec.threads).containsExactly(Thread.currentThread().getName());
    assertThat(rec.sessions.get(0).model()).contains("m1");
    assertThat(rec.sessions.get(0).voice()).contains("v1");
    SynthesisStream stream = s.stream();
    now.addAndGet(30_000_000);
    memory.sink().connected(false);
    s.sendText("Hello. ");
    now.addAndGet(100_000_000);
    s.flush();
    now.addAndGet(50_000_000);
    memory.sink().audio(bytes(3200));
    s.finish();
    memory.sink().audio(bytes(3200));
    memory.sink().complete();
    assertThat(stream.readAllAudio()).hasSize(6400);
    assertThat(rec.events)
        .containsExactly(
            "opened mem memory",
            "connected 30 false",
            "firstAudio 150",
            "flush 0 50",
            "completed COMPLETED 6400");
  }

  @Test
  void aThrowingListenerNeverHurtsTheSessionNorTheOtherListeners() {
    MemorySynthesizer memory = new MemorySynthesizer("mem", now::get);
    Recorder rec = new Recorder();
    StreamingSynthesizer tts =
        SessionListeners.observe(memory, List.of(new Thrower(true), new Thrower(false), rec));
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    SynthesisStream stream = s.stream();
    memory.sink().connected(true);
    s.sendText("Hi.");
    s.finish();
    memory.sink().audio(bytes(320));
    memory.sink().complete();
    assertThat(stream.readAllAudio()).hasSize(320);
    assertThat(stream.report().outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    assertThat(rec.events)
        .containsExactly(
            "opened mem memory", "connected 0 true", "firstAudio 0", "completed COMPLETED 320");
  }

  @Test
  void listenersAreNeverCalledUnderTheSessionsLocks() throws Exception {
    // An observer that waits for another thread to cancel and to send text to the same session
    // deadlocks if it runs while the session holds its delivery or input lock.
    MemorySynthesizer memory = new MemorySynthesizer("mem", now::get);
    List<String> seen = new CopyOnWriteArrayList<>();
    SessionSession holder = new SessionSession();
    SessionListener blocking =
        info ->
            new SessionObserver() {
              @Override
              public void firstAudio(Duration ttfa) {
                try {
                  CompletableFuture.runAsync(() -> holder.session.sendText("more"))
                      .get(10, TimeUnit.SECONDS);
                  CompletableFuture.runAsync(() -> holder.session.cancel())
                      .get(10, TimeUnit.SECONDS);
                  seen.add("cancelled from another thread");
                } catch (Exception e) {
                  seen.add("blocked: " + e);
                }
              }

              @Override
              public void cancelled(SynthesisReport r) {
                seen.add("cancelled");
              }
            };
    StreamingSynthesizer tts = SessionListeners.observe(memory, List.of(blocking));
    holder.session = tts.open(SynthesisOptions.defaults());
    SynthesisStream stream = holder.session.stream();
    holder.session.sendText("Hi.");
    memory.sink().audio(bytes(320));
    assertThat(stream.poll(Duration.ofSeconds(10))).isNotNull();
    assertThat(seen).containsExactly("cancelled from another thread", "cancelled");
  }

  static final class SessionSession {
    volatile SynthesisSession session;
  }

  @Test
  void exactlyOneTerminalEventForAFailureAndForACancel() {
    MemorySynthesizer memory = new MemorySynthesizer("mem", now::get);
    Recorder rec = new Recorder();
    StreamingSynthesizer tts = SessionListeners.observe(memory, List.of(rec));
    SynthesisSession failing = tts.open(SynthesisOptions.defaults());
    SynthesisStream fs = failing.stream();
    memory.sink().fail(new TransportException("mem", "reset", null));
    memory.sink().complete();
    assertThatThrownBy(fs::readAllAudio).isInstanceOf(TransportException.class);
    SynthesisSession cancelled = tts.open(SynthesisOptions.defaults());
    cancelled.cancel();
    cancelled.cancel();
    cancelled.close();
    assertThat(rec.events)
        .containsExactly(
            "opened mem memory",
            "failed TransportException FAILED",
            "opened mem memory",
            "cancelled CANCELLED");
  }

  @Test
  void aFallbackChainAndItsMembersAreObservedByTheirOwnListenersOnly() {
    // the members' clock (the test's) stands still, so their figures are exact; the chain's is the
    // system's
    MemorySynthesizer a = new MemorySynthesizer("a", now::get);
    MemorySynthesizer b = new MemorySynthesizer("b", now::get);
    Recorder members = new Recorder();
    Recorder chain = new Recorder();
    StreamingSynthesizer tts =
        SessionListeners.observe(
            FallbackSynthesizer.builder()
                .add(SessionListeners.observe(a, List.of(members)))
                .add(SessionListeners.observe(b, List.of(members)))
                .build(),
            List.of(chain));
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    SynthesisStream stream = s.stream();
    s.sendText("Hi.");
    s.finish();
    a.sink().fail(new TransportException("a", "refused", null));
    b.sink().audio(bytes(320));
    b.sink().complete();
    assertThat(stream.readAllAudio()).hasSize(320);
    // the chain measures with the system clock: compare the kinds of events, not their figures
    assertThat(chain.events.stream().map(e -> e.split(" ")[0]))
        .containsExactly("opened", "connected", "firstAudio", "completed");
    assertThat(chain.events.get(0)).isEqualTo("opened fallback(a,b) ?");
    // two sessions, each in order; across sessions the order is the threads'
    assertThat(members.events)
        .containsExactlyInAnyOrder(
            "opened a memory",
            "failed TransportException FAILED",
            "opened b memory",
            "firstAudio 0",
            "completed COMPLETED 320");
  }

  public static final class Named implements SessionListener {
    static final List<String> OPENED = new CopyOnWriteArrayList<>();

    @Override
    public SessionObserver opened(SessionInfo session) {
      OPENED.add(session.provider());
      return SessionObserver.NONE;
    }
  }

  @Test
  void configurationNamesListenersAndReportsEveryBadOneAtOnce() {
    ClassLoader cl = getClass().getClassLoader();
    VoicebridgeConfig config =
        VoicebridgeConfig.of(
            Map.of(
                SessionListeners.LISTENERS_KEY,
                Named.class.getName(),
                SessionListeners.DISCOVER_KEY,
                "false"));
    List<SessionListener> ls = SessionListeners.fromConfig(config, cl);
    assertThat(ls).singleElement().isInstanceOf(Named.class);
    Named.OPENED.clear();
    SessionListeners.observe(new MemorySynthesizer("named"), ls)
        .open(SynthesisOptions.defaults())
        .cancel();
    assertThat(Named.OPENED).containsExactly("named");

    VoicebridgeConfig bad =
        VoicebridgeConfig.of(
            Map.of(
                SessionListeners.LISTENERS_KEY, "com.example.Missing, java.lang.String",
                SessionListeners.DISCOVER_KEY, "maybe"));
    assertThatThrownBy(() -> SessionListeners.fromConfig(bad, cl))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("com.example.Missing is not on the class path")
        .hasMessageContaining("java.lang.String is not a dev.voicebridge.observe.SessionListener")
        .hasMessageContaining("voicebridge.discover-listeners must be true or false");
  }

  @Test
  void serviceLoaderFindsRegisteredListeners(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(SessionListener.class.getName()),
        Named.class.getName() + "\n",
        StandardCharsets.UTF_8);
    try (URLClassLoader cl =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      assertThat(SessionListeners.fromConfig(VoicebridgeConfig.empty(), cl))
          .singleElement()
          .isInstanceOf(Named.class);
      assertThat(
              SessionListeners.fromConfig(
                  VoicebridgeConfig.of(Map.of(SessionListeners.DISCOVER_KEY, "false")), cl))
          .isEmpty();
    }
  }

  @Test
  void withoutListenersTheSynthesizerIsReturnedAsItIs() {
    MemorySynthesizer memory = new MemorySynthesizer("mem", now::get);
    assertThat(SessionListeners.observe(memory, new ArrayList<>())).isSameAs(memory);
  }
}
