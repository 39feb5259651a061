package dev.voicebridge.spring.boot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.spring.boot.VoicebridgeAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The phrase cache sample of docs/spring-boot.md runs (the docs module checks that the page shows
 * it as it is here).
 */
class SpringBootSamplesTest {
  @Test
  void theGreeterIsServedFromTheCacheWarmedAtStartUp() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VoicebridgeAutoConfiguration.class))
        .withPropertyValues(
            "voicebridge.provider=local",
            "voicebridge.cache.enabled=true",
            "voicebridge.cache.warm=" + SpringBootSamples.Greeter.GREETING)
        .withBean(SpringBootSamples.Greeter.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              SpringBootSamples.Greeter greeter = ctx.getBean(SpringBootSamples.Greeter.class);
              assertThat(greeter.greet()).isNotEmpty();
              assertThat(greeter.greet()).isNotEmpty();
              // one miss (the warm-up), two hits
              assertThat(greeter.hitRate()).isEqualTo(2.0 / 3);
            });
  }
}
