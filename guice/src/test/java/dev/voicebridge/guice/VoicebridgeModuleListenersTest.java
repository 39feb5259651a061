package dev.voicebridge.guice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.observe.SessionInfo;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Guice parity with the Spring Boot starter: session listeners and named synthesizers. */
class VoicebridgeModuleListenersTest {
  final List<String> seen = new CopyOnWriteArrayList<>();

  final SessionListener recorder =
      (SessionInfo info) -> {
        seen.add("opened " + info.provider() + " " + info.transport().orElse("?"));
        return new SessionObserver() {
          @Override
          public void cancelled(SynthesisReport report) {
            seen.add("cancelled " + report.provider());
          }
        };
      };

  private Injector injector(VoicebridgeModule module) {
    return Guice.createInjector(
        module,
        new AbstractModule() {
          @Override
          protected void configure() {
            VoicebridgeModule.listeners(binder()).addBinding().toInstance(recorder);
          }
        });
  }

  @Test
  void listenersBoundInAMultibinderObserveEverySession() {
    Injector injector =
        injector(
            new VoicebridgeModule(VoicebridgeConfig.of(Map.of("voicebridge.provider", "alpha"))));
    StreamingSynthesizer tts = injector.getInstance(StreamingSynthesizer.class);
    tts.open().cancel();
    assertThat(seen).containsExactly("opened alpha stub", "cancelled alpha");
  }

  @Test
  void namedSynthesizersAreBoundWithTheirOwnProviderAndKeysAndTheSameListeners() {
    Injector injector =
        injector(
            new VoicebridgeModule(VoicebridgeConfig.of(Map.of("voicebridge.provider", "alpha")))
                .named("backup", "beta", Map.of("voicebridge.beta.level", "7")));
    StreamingSynthesizer backup =
        injector.getInstance(Key.get(StreamingSynthesizer.class, Names.named("backup")));
    assertThat(backup.provider()).isEqualTo("beta");
    assertThat(injector.getInstance(Key.get(StreamingSynthesizer.class, Names.named("backup"))))
        .isSameAs(backup);
    backup.open().cancel();
    assertThat(seen).containsExactly("opened beta stub", "cancelled beta");
    assertThat(injector.getInstance(StreamingSynthesizer.class).provider()).isEqualTo("alpha");
  }

  @Test
  void aNamedSynthesizersKeysAreValidatedByItsProvider() {
    Injector injector =
        injector(
            new VoicebridgeModule(VoicebridgeConfig.empty())
                .named("bad", "beta", Map.of("voicebridge.beta.level", "99")));
    assertThatThrownBy(
            () -> injector.getInstance(Key.get(StreamingSynthesizer.class, Names.named("bad"))))
        .hasMessageContaining("voicebridge.beta.level");
  }

  @Test
  void aNameIsBoundOnce() {
    VoicebridgeModule m = new VoicebridgeModule(VoicebridgeConfig.empty()).named("x", "alpha");
    assertThatThrownBy(() -> m.named("x", "beta")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDocsSampleBindsAListenerAndANamedSynthesizer() {
    SessionListener metrics = recorder; // e.g. MicrometerSessionListener.of(meterRegistry)
    // tag::guice[]
    Injector injector =
        Guice.createInjector(
            new VoicebridgeModule(VoicebridgeConfig.standard()).named("backup", "beta"),
            new AbstractModule() {
              @Override
              protected void configure() {
                VoicebridgeModule.listeners(binder()).addBinding().toInstance(metrics);
              }
            });
    StreamingSynthesizer backup =
        injector.getInstance(Key.get(StreamingSynthesizer.class, Names.named("backup")));
    // end::guice[]
    backup.open().cancel();
    assertThat(seen).containsExactly("opened beta stub", "cancelled beta");
  }
}
