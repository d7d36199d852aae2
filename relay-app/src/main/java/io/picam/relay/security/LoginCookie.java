package io.picam.relay.security;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * The login cookie: an opaque session id, HttpOnly (no script reads it), SameSite=Lax (no other site's form or
 * fetch sends it), Secure whenever the browser reached us over TLS (directly or through Heroku's router).
 */
public final class LoginCookie {

    public static final String NAME = "picam-session";

    private LoginCookie() {}

    public static String issue(HttpServerRequest request, String value, Duration maxAge) {
        return base(request, value).setMaxAge(maxAge.toSeconds()).encode();
    }

    public static String expire(HttpServerRequest request) {
        return base(request, "").setMaxAge(0).encode();
    }

    private static Cookie base(HttpServerRequest request, String value) {
        boolean tls = request.isSSL() || "https".equalsIgnoreCase(request.scheme());
        return Cookie.cookie(NAME, value)
                .setPath("/")
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX)
                .setSecure(tls);
    }
}
