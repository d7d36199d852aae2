package io.picam.relay.security;

import io.picam.relay.account.AccessTokens;
import io.picam.relay.account.Role;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;

/** Turns a personal access token into its owner's identity (a database lookup, so off the event loop). */
@ApplicationScoped
public class AccessTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final AccessTokens tokens;

    public AccessTokenIdentityProvider(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> tokens.authenticate(request.getToken().getToken())
                .map(owner -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(owner.username()))
                        .addRoles(owner.roles().stream().map(Role::id).collect(Collectors.toSet()))
                        .addCredential(request.getToken())
                        .addAttribute(CallerCredential.ATTRIBUTE, owner.credential())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("unknown, expired or revoked token")));
    }
}
