package dev.voicebridge.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedMachineryTest {

  @Test
  void wavEncodingStartsWithAStreamingHeaderOnce() {
    AudioEncoder e = AudioEncoder.of(AudioFormat.wav(16000), 0);
    byte[] pcm = Voice.tone().synthesize("ab", 16000);
    byte[] first = e.encode(pcm);
    byte[] second = e.encode(pcm);
    assertThat(new String(first, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    ByteBuffer b = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(Integer.toUnsignedLong(b.getInt(4))).isEqualTo(0xFFFFFF24L);
    assertThat(Integer.toUnsignedLong(b.getInt(40))).isEqualTo(0xFFFFFF00L);
    WavInfo info = Wav.read(first);
    assertThat(info.isStreaming()).isTrue();
    assertThat(info.sampleRate()).isEqualTo(16000);
    assertThat(first).hasSize(Wav.HEADER_BYTES + pcm.length);
    assertThat(second).isEqualTo(pcm);
    assertThat(e.finish()).isEmpty();
  }

  @Test
  void wavFinishWithoutAudioGivesTheHeader() {
    AudioEncoder e = AudioEncoder.of(AudioFormat.wav(8000), 0);
    assertThat(e.finish()).hasSize(Wav.HEADER_BYTES);
    assertThat(e.finish()).isEmpty();
    assertThatThrownBy(() -> e.encode(new byte[2])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void mp3OutputStartsWithAFrameSyncOrId3() {
    AudioEncoder e = AudioEncoder.of(AudioFormat.mp3(44100), 128);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(e.encode(Voice.tone().synthesize("mp3 test", 44100)));
    out.writeBytes(e.finish());
    byte[] mp3 = out.toByteArray();
    assertThat(mp3.length).isGreaterThan(400);
    boolean sync = (mp3[0] & 0xFF) == 0xFF && (mp3[1] & 0xE0) == 0xE0;
    boolean id3 = new String(mp3, 0, 3, StandardCharsets.ISO_8859_1).equals("ID3");
    assertThat(sync || id3).isTrue();
  }

  @Test
  void muLawAndALawAreOneBytePerSampleAndOddBytesCarryOver() {
    AudioEncoder mu = AudioEncoder.of(AudioFormat.mulaw(8000), 0);
    byte[] pcm = Voice.tone().synthesize("xyz", 8000);
    assertThat(mu.encode(pcm)).hasSize(pcm.length / 2);
    AudioEncoder a = AudioEncoder.of(AudioFormat.alaw(8000), 0);
    assertThat(a.encode(new byte[3])).hasSize(1);
    assertThat(a.encode(new byte[1])).hasSize(1);
    AudioEncoder p = AudioEncoder.of(AudioFormat.pcm(8000), 0);
    assertThat(p.encode(new byte[] {1, 2, 3})).containsExactly(1, 2);
    assertThat(p.encode(new byte[] {4})).containsExactly(3, 4);
  }

  @Test
  void opusIsNotAvailable() {
    assertThatThrownBy(() -> AudioEncoder.of(AudioFormat.opus(), 0))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toneIsDeterministicAndProportionalToText() {
    Voice v = Voice.tone();
    byte[] a = v.synthesize("Hello", 24000);
    assertThat(v.synthesize("Hello", 24000)).isEqualTo(a);
    assertThat(a).hasSize(5 * 24000 * Voice.TONE_MILLIS_PER_CHAR / 1000 * 2);
    assertThat(v.synthesize("Hellp", 24000)).isNotEqualTo(a);
    assertThat(v.synthesize("", 24000)).isEmpty();
    byte[] space = v.synthesize(" ", 8000);
    assertThat(space).hasSize(8000 * 60 / 1000 * 2).containsOnly(0);
  }

  @Test
  void toneRefusesATextWhoseAudioNoArrayHolds() {
    // 8,388,606 characters at 24 kHz are 24,159,185,280 bytes: an int overflowed to -1610618496
    String flood = "a".repeat(8_388_606);
    assertThatThrownBy(() -> Voice.tone().synthesize(flood, 24_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long for the tone voice");
  }

  @Test
  void controlConsumesFaultsInOrderOneSessionEach() {
    EmulatorControl c =
        new EmulatorControl(Set.of(Fault.Stall.class, Fault.CloseAfterCompletion.class));
    c.inject(new Fault.Stall(1));
    c.inject(new Fault.CloseAfterCompletion());
    assertThat(c.peekFault()).isEqualTo(new Fault.Stall(1));
    assertThat(c.takeFault()).isEqualTo(new Fault.Stall(1));
    assertThat(c.takeFault()).isEqualTo(new Fault.CloseAfterCompletion());
    assertThat(c.takeFault()).isNull();
    assertThatThrownBy(() -> c.inject(new Fault.MalformedFrame(0)))
        .isInstanceOf(IllegalArgumentException.class);
    c.inject(new Fault.Stall(2));
    c.clearFaults();
    assertThat(c.takeFault()).isNull();
  }

  @Test
  void controlCountsConnectionsAndRecordsSessions() throws Exception {
    EmulatorControl c = new EmulatorControl(Set.of());
    int id = c.connectionOpened();
    SessionRecorder r = c.newSession(id, Map.of("Authorization", List.of("Bearer k")));
    r.frame("start");
    r.text("Hello ");
    r.text("");
    r.text("world");
    r.flush();
    r.finished();
    r.audioSent(new byte[] {1, 2});
    r.audioSent(new byte[] {3});
    r.completed();
    r.note("model", "s1");
    ServerRecord s = c.lastSession();
    assertThat(s.connection()).isEqualTo(id);
    assertThat(s.text()).isEqualTo("Hello world");
    assertThat(s.textMessages()).isEqualTo(2);
    assertThat(s.flushes()).isEqualTo(1);
    assertThat(s.finished()).isTrue();
    assertThat(s.completed()).isTrue();
    assertThat(s.audioFramesSent()).isEqualTo(2);
    assertThat(s.audioBytesSent()).isEqualTo(3);
    assertThat(s.audioSha256())
        .isEqualTo(
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3})));
    HexFormat hex = HexFormat.of();
    assertThat(s.audioPrefixSha256())
        .containsExactly(
            hex.formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[0])),
            hex.formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2})),
            s.audioSha256());
    assertThat(
            s.isFramePrefix(
                hex.formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1}))))
        .as("a torn frame is not a frame prefix")
        .isFalse();
    assertThat(s.headers()).containsOnlyKeys("authorization");
    assertThat(s.frames()).containsExactly("start");
    assertThat(c.sessionNotes()).containsExactly(Map.of("model", "s1"));
    assertThat(c.openConnections()).isEqualTo(1);
    c.connectionClosed();
    assertThat(c.openConnections()).isZero();
    assertThat(c.connectionsAccepted()).isEqualTo(1);
    c.reset();
    assertThat(c.sessions()).isEmpty();
    assertThat(c.connectionsAccepted()).isZero();
    assertThat(c.connectionOpened()).isGreaterThan(id);
  }

  @Test
  void laneRunsTasksInOrderAndCancelDropsTheRest() throws Exception {
    try (Pacer pacer = new Pacer("test", LatencyProfile.ZERO, 1)) {
      Pacer.Lane lane = pacer.lane();
      List<Integer> order = new CopyOnWriteArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      for (int i = 0; i < 50; i++) {
        int n = i;
        lane.submit(Duration.ofNanos(50 - i), () -> order.add(n));
      }
      lane.submit(done::countDown);
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(order).hasSize(50).isSorted();
      Pacer.Lane other = pacer.lane();
      CountDownLatch started = new CountDownLatch(1);
      other.submit(Duration.ofHours(1), started::countDown);
      other.cancel();
      other.submit(started::countDown);
      assertThat(other.idle()).isTrue();
      assertThat(started.getCount()).isEqualTo(1);
    }
  }

  @Test
  void latencyProfileComputesDelays() {
    LatencyProfile p = new LatencyProfile(Duration.ofMillis(300), 2.0, Duration.ZERO);
    assertThat(p.wallTimeOf(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(50));
    assertThat(LatencyProfile.ZERO.wallTimeOf(Duration.ofSeconds(1))).isZero();
    try (Pacer pacer = new Pacer("t", p, 1)) {
      assertThat(pacer.frameDelay(true, null)).isEqualTo(Duration.ofMillis(300));
      assertThat(pacer.frameDelay(false, Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(50));
    }
    try (Pacer pacer =
        new Pacer("t", new LatencyProfile(Duration.ZERO, 0, Duration.ofMillis(10)), 7)) {
      for (int i = 0; i < 20; i++) {
        assertThat(pacer.jitter()).isBetween(Duration.ZERO, Duration.ofMillis(10));
      }
    }
    assertThatThrownBy(() -> new LatencyProfile(Duration.ofMillis(-1), 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LatencyProfile(Duration.ZERO, -1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configDefaultsAndHidesTheKey() {
    EmulatorConfig c = EmulatorConfig.builder().apiKey("secret-123").build();
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isZero();
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.frameMillis()).isEqualTo(100);
    assertThat(c.profile()).isEqualTo(LatencyProfile.ZERO);
    assertThat(c.toString()).doesNotContain("secret-123");
    assertThat(c.toBuilder().build().apiKey()).isEqualTo("secret-123");
  }
}
