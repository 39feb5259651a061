package dev.voicebridge.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The example application: {@code java -jar voicebridge-example-spring-boot.jar}. */
@SpringBootApplication
public class SpeechApplication {

  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(SpeechApplication.class, args);
  }
}
