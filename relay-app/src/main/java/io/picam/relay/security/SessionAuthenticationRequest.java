package io.picam.relay.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The value of the login cookie, to be resolved to its session. */
public final class SessionAuthenticationRequest extends BaseAuthenticationRequest {

    private final String cookie;

    public SessionAuthenticationRequest(String cookie) {
        this.cookie = cookie;
    }

    public String cookie() {
        return cookie;
    }
}
