package io.picam.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A paced chunked POST of a looped clip, logging when each byte was written. */
final class Publisher {

    private static final int TICK_MILLIS = 20;

    private final Vertx vertx;
    private final byte[] clip;
    private final long bitsPerSecond;
    private final WriteLog log;
    private HttpClient client;
    private HttpClientRequest request;
    private long timer;
    private long sent;
    private long startNanos;

    Publisher(Vertx vertx, byte[] clip, long bitsPerSecond, WriteLog log) {
        this.vertx = vertx;
        this.clip = clip;
        this.bitsPerSecond = bitsPerSecond;
        this.log = log;
    }

    void start(RelayUnderTest relay) throws Exception {
        client = vertx.createHttpClient();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(relay.port())
                .setURI("/ingest/" + relay.streamId())
                .putHeader("Content-Type", "video/mp2t");
        if (relay.secret() != null) {
            options.putHeader("Authorization", "Bearer " + relay.secret());
        }
        request = client.request(options)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        request.setChunked(true);
        request.sendHead().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        startNanos = System.nanoTime();
        timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
    }

    /** Sends what the bitrate allows by now, in whole TS packets. */
    private void tick() {
        long now = System.nanoTime();
        long due = (now - startNanos) * bitsPerSecond / 8 / 1_000_000_000L;
        long bytes = (due - sent) / 188 * 188;
        if (bytes <= 0) {
            return;
        }
        Buffer buffer = Buffer.buffer((int) bytes);
        long end = sent + bytes;
        for (long at = sent; at < end; ) {
            int from = (int) (at % clip.length);
            int n = (int) Math.min(end - at, clip.length - from);
            buffer.appendBytes(clip, from, n);
            at += n;
        }
        request.write(buffer);
        sent = end;
        log.append(sent, now);
    }

    void stop() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            vertx.cancelTimer(timer);
            request.end().onComplete(r -> done.complete(null));
        });
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // the load generator's own event loops are saturated by the viewers: the measurement is over anyway
            System.out.println("the publisher's request did not end within 30 s; going on");
        }
        client.close();
    }
}
