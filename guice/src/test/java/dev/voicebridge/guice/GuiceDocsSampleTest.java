package dev.voicebridge.guice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.VoicebridgeConfig;
import java.net.http.HttpClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first sample of docs/guice.md, compiled and run. */
class GuiceDocsSampleTest {

  /** A provider added in code. */
  static final class AcmeProvider extends StubProviders.Base {
    @Inject
    AcmeProvider() {
      super("acme", "map-binder");
    }
  }

  @Test
  void theSampleBindsAProviderInCodeAndASharedHttpClient() {
    VoicebridgeConfig config = VoicebridgeConfig.of(Map.of("voicebridge.provider", "acme"));
    HttpClient sharedHttpClient = HttpClient.newHttpClient();
    // tag::module[]
    Injector injector =
        Guice.createInjector(
            new VoicebridgeModule(config), // voicebridge.provider=acme, voicebridge.acme.level=...
            new AbstractModule() {
              @Override
              protected void configure() {
                // optional: providers added in code (win over ServiceLoader ones of the same name)
                VoicebridgeModule.providers(binder()).addBinding("acme").to(AcmeProvider.class);
                // optional: one HttpClient shared with the rest of the application
                bind(HttpClient.class).toInstance(sharedHttpClient);
              }
            });
    StreamingSynthesizer tts = injector.getInstance(StreamingSynthesizer.class);
    // end::module[]
    assertThat(tts.provider()).isEqualTo("acme");
    assertThat(((StubProviders.StubSynthesizer) tts).context.httpClient())
        .contains(sharedHttpClient);
  }
}
