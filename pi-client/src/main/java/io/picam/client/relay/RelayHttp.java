package io.picam.client.relay;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client of {@code setup} and {@code doctor}, the JDK's: HTTP/1.1, no redirects followed, and a single
 * thread for its callbacks beside its selector thread (one request at a time). The upload of {@code stream} is on a
 * plain socket (see {@link io.picam.client.upload.Streamer}); {@link #reason} words failures of both for the log.
 */
public final class RelayHttp {

    private RelayHttp() {}

    public static HttpClient client() {
        ThreadPoolExecutor callbacks =
                new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
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

    /** Whether the relay's address refused the connection (nothing listens there), rather than it timing out. */
    public static boolean refused(Throwable failure) {
        boolean connect = false;
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof HttpTimeoutException) {
                return false;
            }
            connect |= c instanceof ConnectException;
        }
        return connect;
    }
}
