package io.picam.relay.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** The logged-in user's CSRF token for templates: {@code {inject:csrf.token}}. */
@Named("csrf")
@RequestScoped
public class CsrfView {

    private final CsrfTokens tokens;
    private final SecurityIdentity identity;

    public CsrfView(CsrfTokens tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    public String token() {
        String token = tokens.tokenFor(identity);
        return token == null ? "" : token;
    }
}
