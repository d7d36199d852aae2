package io.picam.relay.alerts;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real HTTP server on loopback that keeps every request it gets and answers with the status it is told. */
public final class WebhookReceiver implements AutoCloseable {

    /** One request; {@code headers} by lower-case name. */
    public record Received(
            Instant at,
            String path,
            String event,
            String signature,
            String contentType,
            String title,
            String body,
            Map<String, String> headers) {

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 204;

    public WebhookReceiver() throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    Map<String, String> headers = new TreeMap<>();
                    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                    received.add(new Received(
                            Instant.now(),
                            request.path(),
                            request.getHeader("X-Picam-Event"),
                            request.getHeader("X-Picam-Signature"),
                            request.getHeader("Content-Type"),
                            request.getHeader("Title"),
                            body.toString(),
                            headers));
                    request.response().setStatusCode(status).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    public void answer(int status) {
        this.status = status;
    }

    /** What came for one path about one stream, by its id or name (other tests' cameras come and go too). */
    public List<Received> about(String path, String stream) {
        return received.stream()
                .filter(r -> r.path().equals(path) && r.body().contains(stream))
                .toList();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
