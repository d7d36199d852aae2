package io.picam.client.upload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.picam.client.relay.RelayHttp;

/**
 * One chunked POST of the encoder's output to {@code /ingest/{stream}}. It ends with the relay's answer
 * (the JDK's client reads it even while the body is still being sent, so a 401 or 409 is seen as such), a
 * connection error, or {@link #abort}. Writes never block: when the socket cannot take more, the caller drops and
 * resyncs.
 */
public final class RelayUpload {

    /** How an upload ended: the relay's status (0 when there was none) and a reason for the log. */
    public record Outcome(int status, String reason) {
    }

    /**
     * Bytes waiting beyond what the socket's buffer took: about a second at 2 Mb/s. More would only be latency
     * the viewers see; past it, the caller drops to the next join point.
     */
    static final int MAX_QUEUED_BYTES = 256 * 1024;

    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final UploadBody body = new UploadBody(MAX_QUEUED_BYTES);
    private CompletableFuture<HttpResponse<String>> exchange;

    /** Connects and sends the request head; fails if the relay is not reachable within 10 s. */
    public void open(HttpClient client, URI ingest, String secret, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(ingest)
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.fromPublisher(body))
                .build();
        exchange = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        exchange.whenComplete((response, failure) -> outcome.complete(response != null
                ? new Outcome(response.statusCode(), response.body().trim())
                : new Outcome(0, RelayHttp.reason(failure))));
        // the client asks for the body once it is connected and has sent the head; a failure ends the exchange first
        CompletableFuture.anyOf(body.started(), exchange).get(10, TimeUnit.SECONDS);
        if (!body.started().isDone() && exchange.isCompletedExceptionally()) {
            throw new IOException(outcome.join().reason());
        }
    }

    /** Queues the bytes; false (nothing queued) when the connection cannot keep up. */
    public boolean write(byte[] data) {
        return !outcome.isDone() && body.offer(data);
    }

    /** True when bytes have been waiting without any going out for longer than the timeout. */
    public boolean stalled(long timeoutNanos) {
        return body.stalledFor(timeoutNanos);
    }

    public long bytesSent() {
        return body.bytesTaken();
    }

    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    /** Ends the upload from this side (stall, shutdown): the connection is closed, the relay sees the publisher go. */
    public void abort(String reason) {
        outcome.complete(new Outcome(0, reason));
        body.fail(new IOException(reason));
        if (exchange != null) {
            exchange.cancel(true);
        }
    }
}
