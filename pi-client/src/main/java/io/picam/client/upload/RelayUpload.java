package io.picam.client.upload;

import io.picam.client.relay.RelayHttp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One chunked POST of the encoder's output to {@code /ingest/{stream}}. It ends with the relay's answer
 * (read even while the body is still being sent, so a 401 or 409 is seen as such), a connection error,
 * or {@link #abort}. Writes never block: when the socket cannot take more, the caller drops and resyncs.
 */
public final class RelayUpload {

    /** How an upload ended: the relay's status (0 when there was none) and a reason for the log. */
    public record Outcome(int status, String reason) {}

    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile long bytesSent;
    private HttpClientRequest request;

    /** Connects and sends the request head; fails if the relay is not reachable within 10 s. */
    public void open(HttpClient client, URI ingest, String secret, String contentType) throws Exception {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(ingest.toString())
                .putHeader("Authorization", "Bearer " + secret)
                .putHeader("Content-Type", contentType)
                .setIdleTimeout(0);
        request = client.request(options)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        request.setChunked(true);
        request.response()
                .compose(response -> response.body()
                        .map(body -> new Outcome(
                                response.statusCode(), body.toString().trim())))
                .onComplete(result -> outcome.complete(
                        result.succeeded() ? result.result() : new Outcome(0, RelayHttp.reason(result.cause()))));
        request.exceptionHandler(e -> outcome.complete(new Outcome(0, RelayHttp.reason(e))));
        request.connection().closeHandler(v -> outcome.complete(new Outcome(0, "connection closed")));
        request.sendHead().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        lastProgressNanos = System.nanoTime();
    }

    /** Queues the bytes; false (nothing queued) when the connection cannot keep up. */
    public boolean write(byte[] data) {
        if (outcome.isDone() || request.writeQueueFull()) {
            return false;
        }
        inFlight.incrementAndGet();
        request.write(Buffer.buffer(data)).onComplete(done -> {
            inFlight.decrementAndGet();
            if (done.succeeded()) {
                bytesSent += data.length;
                lastProgressNanos = System.nanoTime();
            }
        });
        return true;
    }

    /** True when bytes have been waiting without any going out for longer than the timeout. */
    public boolean stalled(long timeoutNanos) {
        return inFlight.get() > 0 && System.nanoTime() - lastProgressNanos > timeoutNanos;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    /** Ends the upload from this side (stall, shutdown). */
    public void abort(String reason) {
        outcome.complete(new Outcome(0, reason));
        if (request != null) {
            request.reset();
        }
    }
}
