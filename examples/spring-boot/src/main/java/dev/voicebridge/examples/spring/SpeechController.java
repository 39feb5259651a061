package dev.voicebridge.examples.spring;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.audio.Wav;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /speak?text=...&id=...} streams the speech as chunked {@code audio/wav} (a WAV header
 * with streaming sizes, then each PCM chunk as the vendor sends it); {@code GET /report/{id}} is
 * the session's report.
 */
@RestController
public class SpeechController {
  static final AudioFormat FORMAT = AudioFormat.pcm(24_000);
  static final MediaType AUDIO_WAV = MediaType.parseMediaType("audio/wav");

  private final StreamingSynthesizer tts;
  private final Map<String, SynthesisReport> reports =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SynthesisReport> eldest) {
              return size() > 100;
            }
          });

  /** The application's synthesizer, configured by {@code voicebridge.*} properties. */
  public SpeechController(StreamingSynthesizer tts) {
    this.tts = tts;
  }

  /** Streams {@code text} as speech. */
  @GetMapping("/speak")
  public ResponseEntity<StreamingResponseBody> speak(
      @RequestParam("text") String text, @RequestParam(name = "id", defaultValue = "") String id) {
    if (text.isBlank() || text.length() > 2_000) {
      return ResponseEntity.status(HttpStatus.BAD_REQUEST).build();
    }
    SynthesisStream stream =
        tts.synthesize(text, SynthesisOptions.builder().format(FORMAT).build());
    StreamingResponseBody body =
        out -> {
          try (stream) {
            out.write(Wav.streamingHeader(FORMAT.sampleRate(), 1, 16));
            out.flush();
            while (stream.hasNext()) {
              SynthesisEvent e = stream.next();
              if (e instanceof AudioChunk c) {
                out.write(c.bytes());
                out.flush();
              }
            }
            if (!id.isBlank()) {
              reports.put(id, stream.report());
            }
          }
        };
    return ResponseEntity.ok().contentType(AUDIO_WAV).body(body);
  }

  /** The report of the session {@code id} streamed. */
  @GetMapping("/report/{id}")
  public ResponseEntity<Map<String, Object>> report(@PathVariable("id") String id) {
    SynthesisReport r = reports.get(id);
    if (r == null) {
      return ResponseEntity.notFound().build();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", r.provider());
    m.put("outcome", r.outcome().name());
    m.put("audioDurationMs", r.audioDuration().toMillis());
    m.put("timeToFirstAudioMs", r.timeToFirstAudio().map(d -> d.toMillis()).orElse(null));
    m.put("bytes", r.bytesReceived());
    return ResponseEntity.ok(m);
  }
}
