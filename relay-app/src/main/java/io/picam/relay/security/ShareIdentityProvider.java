package io.picam.relay.security;

import io.picam.relay.account.Credential;
import io.picam.relay.account.Scope;
import io.picam.relay.share.ShareGrant;
import io.picam.relay.share.ShareLinks;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Turns a share link's cookie into an identity with no roles and no user: principal {@code share:<link id>}, the
 * link's {@link ShareGrant} and a {@link Credential} of kind share link (so its sockets close when it ends). Usually
 * from memory; else one query, off the event loop.
 */
@ApplicationScoped
public class ShareIdentityProvider implements IdentityProvider<ShareAuthenticationRequest> {

    private final ShareLinks links;

    public ShareIdentityProvider(ShareLinks links) {
        this.links = links;
    }

    @Override
    public Class<ShareAuthenticationRequest> getRequestType() {
        return ShareAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            ShareAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> links.authenticate(request.cookie())
                .map(grant -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(grant.principal()))
                        .addAttribute(ShareGrant.ATTRIBUTE, grant)
                        .addAttribute(
                                CallerCredential.ATTRIBUTE,
                                new Credential(
                                        Credential.Kind.SHARE_LINK,
                                        grant.linkId(),
                                        grant.expiresAt(),
                                        Set.of(Scope.VIEW)))
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("unknown, expired or revoked share link")));
    }
}
