package io.picam.relay.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A publisher whose body the test writes piece by piece: a chunked POST that stays open as long as the test
 * wants, like a Pi's upload. Vert.x's client reads the relay's answer even while the body is still going.
 */
public final class TestPublisher implements AutoCloseable {

    /** The relay's answer: status and body. */
    public record Answer(int statusCode, String body) {}

    private final HttpClient client;
    private final HttpClientRequest request;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();

    private TestPublisher(HttpClient client, HttpClientRequest request) {
        this.client = client;
        this.request = request;
    }

    /** Opens the upload and sends its headers. */
    public static TestPublisher open(URI relay, String streamId, String secret) {
        return open(relay, streamId, secret, "video/mp2t");
    }

    public static TestPublisher open(URI relay, String streamId, String secret, String contentType) {
        HttpClient client = TestClients.VERTX.createHttpClient();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(relay.getHost())
                .setPort(relay.getPort())
                .setURI("/ingest/" + streamId)
                .putHeader("Content-Type", contentType);
        if (secret != null) {
            options.putHeader("Authorization", "Bearer " + secret);
        }
        try {
            HttpClientRequest request = client.request(options)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            TestPublisher publisher = new TestPublisher(client, request);
            request.setChunked(true);
            request.response()
                    .compose(
                            response -> response.body().map(body -> new Answer(response.statusCode(), body.toString())))
                    .onComplete(result -> {
                        if (result.succeeded()) {
                            publisher.answer.complete(result.result());
                        } else {
                            publisher.answer.completeExceptionally(result.cause());
                        }
                    });
            request.sendHead().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return publisher;
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("could not open the upload", e);
        }
    }

    /** Sends {@code data} in pieces of {@code piece} bytes, each one written to the socket before the next. */
    public void write(byte[] data, int piece) {
        for (int off = 0; off < data.length && !answer.isDone(); off += piece) {
            Buffer buffer = Buffer.buffer().appendBytes(data, off, Math.min(piece, data.length - off));
            try {
                request.write(buffer).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                return; // the relay ended the upload; its answer tells why
            }
        }
    }

    public void write(byte[] data) {
        write(data, data.length);
    }

    /** Ends the body cleanly. */
    public void finish() {
        request.end();
    }

    public boolean answered() {
        return answer.isDone();
    }

    public Answer response() {
        try {
            return answer.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no answer from the relay", e);
        }
    }

    @Override
    public void close() {
        request.reset();
        client.close();
    }
}
