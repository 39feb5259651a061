package dev.voicebridge.observe;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.internal.Log;
import dev.voicebridge.internal.ObservedSynthesizer;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Registers {@link SessionListener}s: on one synthesizer ({@link #observe}), or from configuration
 * and {@link ServiceLoader} ({@link #fromConfig}, which {@link
 * dev.voicebridge.StreamingSynthesizers} applies to every synthesizer it creates).
 */
public final class SessionListeners {
  /** Class names of listeners to create, comma separated (each with a no-argument constructor). */
  public static final String LISTENERS_KEY = "voicebridge.listeners";

  /** Whether listeners registered with {@link ServiceLoader} are used (default true). */
  public static final String DISCOVER_KEY = "voicebridge.discover-listeners";

  private static final Log LOG = Log.get("dev.voicebridge.listener");

  private SessionListeners() {}

  /**
   * {@return {@code synthesizer}, with every session it opens observed by {@code listeners} (in
   * addition to listeners it already has)} With no listeners, {@code synthesizer} itself. The
   * result owns {@code synthesizer}: closing it closes {@code synthesizer}.
   *
   * @param synthesizer the next synthesizer
   * @param listeners the listeners
   */
  public static StreamingSynthesizer observe(
      StreamingSynthesizer synthesizer, Collection<? extends SessionListener> listeners) {
    Objects.requireNonNull(synthesizer, "synthesizer");
    List<SessionListener> ls = List.copyOf(listeners);
    return ls.isEmpty() ? synthesizer : new ObservedSynthesizer(synthesizer, ls);
  }

  /**
   * {@return the listeners {@code config} names ({@value #LISTENERS_KEY}), then those registered
   * with {@link ServiceLoader} visible to {@code loader} unless {@value #DISCOVER_KEY} is {@code
   * false}}
   *
   * @param config the configuration
   * @param loader the loader
   * @throws ConfigurationException when a named class cannot be loaded or created, or is not a
   *     {@link SessionListener}
   */
  public static List<SessionListener> fromConfig(VoicebridgeConfig config, ClassLoader loader) {
    Objects.requireNonNull(config, "config");
    List<SessionListener> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String name : config.get(LISTENERS_KEY).orElse("").split(",")) {
      String cls = name.trim();
      if (cls.isEmpty()) {
        continue;
      }
      try {
        Class<?> c = Class.forName(cls, true, loader);
        if (!SessionListener.class.isAssignableFrom(c)) {
          problems.add(LISTENERS_KEY + ": " + cls + " is not a " + SessionListener.class.getName());
          continue;
        }
        out.add((SessionListener) c.getConstructor().newInstance());
      } catch (ClassNotFoundException e) {
        problems.add(LISTENERS_KEY + ": class " + cls + " is not on the class path");
      } catch (NoSuchMethodException e) {
        problems.add(LISTENERS_KEY + ": " + cls + " has no public no-argument constructor");
      } catch (InvocationTargetException e) {
        problems.add(LISTENERS_KEY + ": creating " + cls + " failed: " + e.getCause());
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        problems.add(LISTENERS_KEY + ": cannot create " + cls + ": " + e);
      }
    }
    String discover = config.get(DISCOVER_KEY).orElse("true");
    if (!discover.equalsIgnoreCase("true") && !discover.equalsIgnoreCase("false")) {
      problems.add(DISCOVER_KEY + " must be true or false, not '" + discover + "'");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(null, problems);
    }
    if (discover.equalsIgnoreCase("true")) {
      out.addAll(discover(loader));
    }
    return List.copyOf(out);
  }

  /**
   * {@return the listeners registered with {@link ServiceLoader} visible to {@code loader}} One
   * that fails to load is logged and skipped; the others are still found.
   *
   * @param loader the loader
   */
  public static List<SessionListener> discover(ClassLoader loader) {
    List<SessionListener> out = new ArrayList<>();
    Iterator<SessionListener> it = ServiceLoader.load(SessionListener.class, loader).iterator();
    for (int guard = 0; guard < 10_000; guard++) {
      try {
        if (!it.hasNext()) {
          break;
        }
        out.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        LOG.warn("a session listener failed to load and is skipped: " + e.getMessage());
      }
    }
    return out;
  }
}
