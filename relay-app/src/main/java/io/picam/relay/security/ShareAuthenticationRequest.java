package io.picam.relay.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The value of a share link's cookie, to be resolved to what the link allows. */
public final class ShareAuthenticationRequest extends BaseAuthenticationRequest {

    private final String cookie;

    public ShareAuthenticationRequest(String cookie) {
        this.cookie = cookie;
    }

    public String cookie() {
        return cookie;
    }
}
