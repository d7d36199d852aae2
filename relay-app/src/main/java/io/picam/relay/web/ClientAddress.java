package io.picam.relay.web;

import io.vertx.core.http.HttpServerRequest;

/**
 * The address a request came from, as far as it can be trusted. Behind proxies that append to
 * {@code X-Forwarded-For} (Heroku's router appends the connecting address to the end of the first such
 * header), only the entries those proxies added are facts; anything to their left is whatever the client
 * sent. So the address is taken {@code hops} entries from the right of the first header, never from the
 * left as Quarkus' own forwarding support does.
 */
public final class ClientAddress {

    private ClientAddress() {}

    public static String of(HttpServerRequest request, int hops) {
        if (hops > 0) {
            String forwarded = request.headers().get("X-Forwarded-For");
            if (forwarded != null) {
                String[] entries = forwarded.split(",");
                String entry = entries[Math.max(0, entries.length - hops)].strip();
                if (!entry.isEmpty() && entry.length() <= 64) {
                    return entry;
                }
            }
        }
        return request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().hostAddress();
    }
}
