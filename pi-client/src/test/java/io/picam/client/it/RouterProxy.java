package io.picam.client.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Heroku's router in front of the relay: it streams requests and responses through as they
 * come, and while "down" (no dyno up yet after a restart) it answers every request itself with a 503, as the
 * router does, instead of refusing the connection.
 */
final class RouterProxy implements AutoCloseable {

    /** Headers about one connection, not the request: a proxy does not pass them on (RFC 9110, 7.6.1). */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "upgrade",
            "http2-settings",
            "te",
            "trailer",
            "transfer-encoding",
            "content-length",
            "proxy-connection");

    private final HttpServer server;
    private final HttpClient upstream;
    private final int relayPort;
    private volatile boolean down;

    RouterProxy(Vertx vertx, int relayPort) throws Exception {
        this.relayPort = relayPort;
        this.upstream = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        this.server = vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    void down(boolean down) {
        this.down = down;
    }

    private void handle(HttpServerRequest request) {
        if (down) {
            request.response()
                    .setStatusCode(503)
                    .putHeader("Connection", "close")
                    .end("Application Error");
            return;
        }
        request.pause();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost("127.0.0.1")
                .setPort(relayPort)
                .setURI(request.uri());
        request.headers().forEach((k, v) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT))) {
                options.addHeader(k, v);
            }
        });
        upstream.request(options)
                .onFailure(e -> request.response().setStatusCode(503).end("Application Error"))
                .onSuccess(out -> {
                    out.setChunked(true);
                    out.response()
                            .onSuccess(in -> {
                                request.response()
                                        .setStatusCode(in.statusCode())
                                        .setChunked(true);
                                in.headers().forEach((k, v) -> {
                                    if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT))) {
                                        request.response().putHeader(k, v);
                                    }
                                });
                                in.pipeTo(request.response());
                            })
                            .onFailure(e -> request.connection().close());
                    request.pipeTo(out);
                });
    }

    @Override
    public void close() {
        server.close();
        upstream.close();
    }
}
