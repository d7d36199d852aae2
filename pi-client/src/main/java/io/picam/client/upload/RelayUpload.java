package io.picam.client.upload;

import io.picam.client.relay.RelayHttp;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One chunked POST of the encoder's output to {@code /ingest/{stream}} ({@link ChunkedPost}). It ends with the
 * relay's answer (read even while the body is still being sent, so a 401 or 409 is seen as such), a connection
 * error, or {@link #abort}. Writes never block: when the connection cannot keep up, the caller drops and resyncs.
 */
public final class RelayUpload {

    /** How an upload ended: the relay's status (0 when there was none) and a reason for the log. */
    public record Outcome(int status, String reason) {}

    /**
     * Bytes that may wait for the socket before writes are refused: about a second at 2 Mb/s, beside what the
     * kernel's send buffer holds. A segment is taken whole while less than this waits, so a large keyframe fits.
     */
    static final long QUEUE_CAP_BYTES = 256 * 1024;

    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private volatile ChunkedPost post;

    /** Connects and sends the request head; fails if the relay is not reachable within 10 s. */
    public void open(URI ingest, String secret, String contentType) throws Exception {
        ChunkedPost opened = ChunkedPost.open(
                ingest,
                List.of("Authorization: Bearer " + secret, "Content-Type: " + contentType),
                QUEUE_CAP_BYTES,
                "upload");
        post = opened;
        opened.answer()
                .whenComplete((answer, failure) -> outcome.complete(
                        answer != null
                                ? new Outcome(answer.status(), answer.body())
                                : new Outcome(0, RelayHttp.reason(failure))));
        if (outcome.isDone()) {
            opened.close(); // aborted while connecting
        }
    }

    /** Queues the bytes; false (nothing queued) when the connection cannot keep up. */
    public boolean write(byte[] data) {
        ChunkedPost p = post;
        return p != null && !outcome.isDone() && p.offer(data);
    }

    /** True when bytes have been waiting without any going out for longer than the timeout. */
    public boolean stalled(long timeoutNanos) {
        ChunkedPost p = post;
        return p != null && p.stalled(timeoutNanos);
    }

    public long bytesSent() {
        ChunkedPost p = post;
        return p == null ? 0 : p.bytesSent();
    }

    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    /** Ends the upload from this side (stall, shutdown). */
    public void abort(String reason) {
        outcome.complete(new Outcome(0, reason));
        ChunkedPost p = post;
        if (p != null) {
            p.close();
        }
    }
}
