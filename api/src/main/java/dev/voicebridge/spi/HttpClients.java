package dev.voicebridge.spi;

import java.net.http.HttpClient;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one {@link HttpClient} a process shares by default: every synthesizer of every provider uses
 * it unless the application supplies its own ({@link ProviderContext#withHttpClient}). One client
 * means one selector thread and one connection pool for the whole process: a synthesizer created
 * just before its session finds the connections earlier synthesizers opened, and closing a
 * synthesizer stops only what is its own (its sessions, its pooled WebSockets).
 *
 * <p>The client speaks HTTP/1.1, follows no redirects, and runs its callbacks on daemon threads
 * named {@code voicebridge-http-N} that end after 10 seconds idle; the JDK's selector thread
 * ({@code HttpClient-N-SelectorManager}) lives as long as the process. Requests set their own
 * timeouts (a provider's connect and response timeouts), so the client sets none.
 */
public final class HttpClients {
  private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

  private HttpClients() {}

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static volatile HttpClient shared;
  private static volatile String selector = "";

  private static HttpClient create() {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "voicebridge-http-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    return HttpClient.newBuilder()
        .executor(executor)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** {@return the process-wide client, created on first use} */
  public static HttpClient shared() {
    HttpClient c = shared;
    if (c == null) {
      synchronized (HttpClients.class) {
        c = shared;
        if (c == null) {
          c = create();
          selector = selectorName(c);
          shared = c;
        }
      }
    }
    return c;
  }

  /**
   * {@return whether {@code t} belongs to the process-wide client (its executor or its selector):
   * such threads are shared by every synthesizer, so closing one synthesizer does not end them}
   *
   * @param t the throwable
   */
  public static boolean isSharedThread(Thread t) {
    String n = t.getName();
    return n.startsWith("voicebridge-http-") || (!selector.isEmpty() && n.equals(selector));
  }

  /** The JDK's name of a client's selector thread, from the id its {@code toString} ends with. */
  static String selectorName(HttpClient client) {
    Matcher m = CLIENT_ID.matcher(String.valueOf(client));
    return m.find() ? "HttpClient-" + m.group(1) + "-SelectorManager" : "";
  }
}
