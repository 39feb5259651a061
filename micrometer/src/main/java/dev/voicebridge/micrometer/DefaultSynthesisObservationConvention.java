package dev.voicebridge.micrometer;

import io.micrometer.common.KeyValues;

/**
 * The default names and tags: the observation {@value #NAME} (a timer of the session's duration, a
 * long-task timer of active sessions, and a span named {@code synthesize <provider>}), with the
 * low-cardinality tags {@code provider}, {@code transport}, {@code model} and {@code outcome} (and
 * Micrometer's {@code error}), plus {@code voice} when asked for.
 */
public class DefaultSynthesisObservationConvention implements SynthesisObservationConvention {
  /** The observation's name, and so the session timer's. */
  public static final String NAME = "voicebridge.session";

  /** The value of a tag the session does not know (a transport the provider did not report). */
  public static final String UNKNOWN = "unknown";

  /** The value of {@code model} when neither the provider nor the options named one. */
  public static final String DEFAULT_MODEL = "default";

  private final boolean tagVoice;

  /** Without the {@code voice} tag. */
  public DefaultSynthesisObservationConvention() {
    this(false);
  }

  /**
   * A convention that tags the voice when asked.
   *
   * @param tagVoice whether to tag the voice (its cardinality is the number of voices used)
   */
  public DefaultSynthesisObservationConvention(boolean tagVoice) {
    this.tagVoice = tagVoice;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(SynthesisObservationContext context) {
    return "synthesize " + context.session().provider();
  }

  /**
   * {@return the tags every Voicebridge meter carries: provider, transport, model (and voice if
   * asked)}
   *
   * @param context the context
   */
  public KeyValues sessionKeyValues(SynthesisObservationContext context) {
    KeyValues kv =
        KeyValues.of(
            "provider", context.session().provider(),
            "transport", context.session().transport().orElse(UNKNOWN),
            "model", context.session().model().orElse(DEFAULT_MODEL));
    if (tagVoice) {
      kv = kv.and("voice", context.session().voice().orElse(DEFAULT_MODEL));
    }
    return kv;
  }

  /**
   * The session tags and {@code outcome} ({@code running} while the session runs, then {@code
   * completed}, {@code failed} or {@code cancelled}); Micrometer adds {@code error}.
   */
  @Override
  public KeyValues getLowCardinalityKeyValues(SynthesisObservationContext context) {
    return sessionKeyValues(context).and("outcome", context.outcome());
  }
}
