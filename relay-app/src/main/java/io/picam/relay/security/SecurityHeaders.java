package io.picam.relay.security;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;

/**
 * Security headers on every answer: a Content-Security-Policy without inline script, no framing, no sniffing, a
 * same-origin referrer; and when the request came over TLS (directly, or through a proxy such as Heroku's router
 * when forwarded headers are enabled) HSTS and {@code Secure} cookies.
 */
@ApplicationScoped
public class SecurityHeaders {

    /**
     * Our pages load only our own scripts and styles. {@code 'wasm-unsafe-eval'} lets jsmpeg compile its
     * WebAssembly decoder (it allows no JavaScript eval); {@code blob:} media is the MSE player's MediaSource.
     */
    static final String CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
            + "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** Swagger UI's page is generated with inline script and style; it gets its own, looser policy. */
    static final String SWAGGER_CSP =
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                    + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        boolean tls = "https".equalsIgnoreCase(ctx.request().scheme());
        boolean swagger = ctx.normalizedPath().startsWith("/q/swagger-ui");
        ctx.addHeadersEndHandler(v -> {
            MultiMap headers = ctx.response().headers();
            headers.set("Content-Security-Policy", swagger ? SWAGGER_CSP : CSP);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "same-origin");
            if (tls) {
                headers.set("Strict-Transport-Security", "max-age=31536000");
                secureCookies(headers);
            }
        });
        ctx.next();
    }

    private static void secureCookies(MultiMap headers) {
        List<String> cookies = headers.getAll(HttpHeaders.SET_COOKIE);
        if (cookies.isEmpty()) {
            return;
        }
        headers.remove(HttpHeaders.SET_COOKIE);
        for (String cookie : cookies) {
            headers.add(
                    HttpHeaders.SET_COOKIE,
                    cookie.toLowerCase(Locale.ROOT).contains("; secure") ? cookie : cookie + "; Secure");
        }
    }
}
