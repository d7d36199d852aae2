package io.picam.relay.ingest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Final answers to a publisher. Every refusal closes the connection: the body might be an hours-long
 * stream that nobody should read, and a clean close makes a publisher reconnect rather than keep
 * sending into the void. Reasons are plain text and never echo the secret.
 */
final class IngestResponses {

    private IngestResponses() {}

    static void unauthorized(HttpServerRequest request) {
        request.response().putHeader("WWW-Authenticate", "Bearer realm=\"picam ingest\"");
        refuse(request, 401, "unknown stream or wrong secret");
    }

    static void refuse(HttpServerRequest request, int status, String reason) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(reason + "\n")
                .onComplete(done -> request.connection().close());
    }

    static void ok(HttpServerRequest request, String message) {
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end(message + "\n");
        }
    }
}
