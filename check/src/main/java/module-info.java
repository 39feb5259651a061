/**
 * Voicebridge live check: a provider proven against its real vendor with the user's own key, within
 * a character budget ({@code voicebridge check}, {@link dev.voicebridge.check.LiveCheck}).
 */
module dev.voicebridge.check {
  requires transitive dev.voicebridge.api;
  requires dev.voicebridge.kit;
  requires com.fasterxml.jackson.databind;

  exports dev.voicebridge.check;

  uses dev.voicebridge.spi.StreamingSynthesizerProvider;
}
