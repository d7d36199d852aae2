package io.picam.relay.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code share-fence} policy on every path outside the API: a browser that holds only a share link's cookie gets
 * 403 on every page but the link's own ({@link ShareFence}); anyone else passes (the pages decide for themselves).
 */
@ApplicationScoped
public class ShareFencePolicy implements HttpSecurityPolicy {

    @Override
    public String name() {
        return "share-fence";
    }

    @Override
    public Uni<CheckResult> checkPermission(
            RoutingContext request, Uni<SecurityIdentity> identity, AuthorizationRequestContext context) {
        String method = request.request().method().name();
        String path = request.normalizedPath();
        return identity.map(id -> CallerCredential.share(id)
                .map(grant -> ShareFence.allows(grant, method, path) ? CheckResult.PERMIT : CheckResult.DENY)
                .orElse(CheckResult.PERMIT));
    }
}
