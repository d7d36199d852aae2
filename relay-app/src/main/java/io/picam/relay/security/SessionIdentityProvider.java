package io.picam.relay.security;

import io.picam.relay.account.LoginSessions;
import io.picam.relay.account.Role;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;

/** Turns a login cookie into its user's identity (usually from memory; else one indexed query, off the event loop). */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionAuthenticationRequest> {

    private final LoginSessions sessions;

    public SessionIdentityProvider(LoginSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<SessionAuthenticationRequest> getRequestType() {
        return SessionAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            SessionAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> sessions.resolve(request.cookie())
                .map(owner -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(owner.username()))
                        .addRoles(owner.roles().stream().map(Role::id).collect(Collectors.toSet()))
                        .addAttribute(CallerCredential.ATTRIBUTE, owner.credential())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("unknown or ended session")));
    }
}
