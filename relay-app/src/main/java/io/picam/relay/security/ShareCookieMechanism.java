package io.picam.relay.security;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.picam.relay.share.ShareCookie;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * A share link's cookie ({@link ShareCookie#NAME}). It comes before the login cookie where the link reaches (its
 * stream's socket, snapshot and recordings), so that a logged-in browser that opened a link watches through the
 * link; elsewhere a login cookie wins, and a browser with only the share cookie meets {@link ShareFence}'s 403. A
 * cookie naming no live link is the same as none.
 */
@ApplicationScoped
public class ShareCookieMechanism implements HttpAuthenticationMechanism {

    /** After a Bearer token, before the login cookie. */
    @Override
    public int getPriority() {
        return HttpAuthenticationMechanism.DEFAULT_PRIORITY + 500;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        Cookie cookie = context.request().getCookie(ShareCookie.NAME);
        String path = context.normalizedPath();
        if (cookie == null || cookie.getValue().isEmpty() || ShareFence.ignores(path)) {
            return Uni.createFrom().nullItem();
        }
        Cookie login = context.request().getCookie(LoginCookie.NAME);
        boolean loggedIn = login != null && !login.getValue().isEmpty();
        if (loggedIn && !ShareFence.mayBeShared(path)) {
            return Uni.createFrom().nullItem();
        }
        String method = context.request().method().name();
        var request = new ShareAuthenticationRequest(cookie.getValue());
        return identityProviderManager
                .authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context))
                .onFailure(AuthenticationFailedException.class)
                .recoverWithNull()
                .map(identity -> {
                    // a logged-in browser whose link does not reach this path goes on as its login
                    boolean covered = identity != null
                            && CallerCredential.share(identity)
                                    .map(grant -> ShareFence.allows(grant, method, path))
                                    .orElse(false);
                    return loggedIn && !covered ? null : identity;
                });
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(HttpResponseStatus.UNAUTHORIZED.code(), null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ShareAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom()
                .item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, ShareCookie.NAME));
    }
}
