package io.picam.client.relay;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The process's one HTTP client, the JDK's: the upload, the readiness checks while it waits, and what
 * {@code setup} and {@code doctor} ask the relay. HTTP/1.1 (the upload is one long chunked request), no
 * redirects followed, and a single thread for its callbacks beside its selector thread: a Pi client has one
 * request in flight at a time.
 */
public final class RelayHttp {

    private RelayHttp() {
    }

    public static HttpClient client() {
        ThreadPoolExecutor callbacks = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(callbacks)
                .build();
    }

    /** A failure as a few words for a log line: the innermost cause's message ("Connection refused", …). */
    public static String reason(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
            if (c instanceof ConnectException && c.getMessage() == null) {
                message = "Connection refused";
            }
        }
        return message != null ? message : t.getClass().getSimpleName();
    }

    /** Whether the relay's address refused the connection (nothing listens there): the innermost cause says. */
    public static boolean refused(Throwable failure) {
        Throwable c = failure;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c instanceof ConnectException;
    }
}
