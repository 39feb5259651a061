package dev.voicebridge.spring.boot;

import dev.voicebridge.StreamingSynthesizer;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link StreamingSynthesizer} bean per {@code voicebridge.synthesizers.<name>},
 * named {@code voicebridge.<name>} and qualified by {@code <name>}, each taken from {@link
 * VoicebridgeSynthesizers} (which closes them).
 */
class NamedSynthesizerRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {
  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Map<String, Object> named =
        Binder.get(environment)
            .bind("voicebridge.synthesizers", Bindable.mapOf(String.class, Object.class))
            .orElse(Map.of());
    for (String name : named.keySet()) {
      RootBeanDefinition def = new RootBeanDefinition(StreamingSynthesizer.class);
      def.setInstanceSupplier(
          () ->
              ((org.springframework.beans.factory.BeanFactory) registry)
                  .getBean(VoicebridgeSynthesizers.class)
                  .get(name));
      def.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
      def.setDestroyMethodName(""); // VoicebridgeSynthesizers closes it
      registry.registerBeanDefinition("voicebridge." + name, def);
    }
  }
}
