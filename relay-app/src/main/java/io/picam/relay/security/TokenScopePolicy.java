package io.picam.relay.security;

import io.picam.relay.account.Credential;
import io.picam.relay.account.Role;
import io.picam.relay.account.Scope;
import io.picam.relay.share.ShareGrant;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code picam} policy on {@code /api/*}, {@code /ws/*} and {@code /q/metrics}: a caller must be authenticated,
 * and a personal access token may only do what its scopes say (within its owner's roles, which
 * {@code @RolesAllowed} checks as before). No token reaches the token or session endpoints: a stolen token cannot
 * make itself a successor. A path not listed here needs the {@code admin} scope, so a new endpoint is closed to
 * narrow tokens until someone decides otherwise. A share link's cookie reaches only what {@link ShareFence} lists.
 */
@ApplicationScoped
public class TokenScopePolicy implements HttpSecurityPolicy {

    private static final Pattern SIGNED_SNAPSHOT = Pattern.compile("/api/streams/[A-Za-z0-9_-]+/snapshot\\.jpg");

    @Override
    public String name() {
        return "picam";
    }

    @Override
    public Uni<CheckResult> checkPermission(
            RoutingContext request, Uni<SecurityIdentity> identity, AuthorizationRequestContext context) {
        String method = request.request().method().name();
        String path = request.normalizedPath();
        return identity.map(id -> {
            if (id == null || id.isAnonymous()) {
                // a signed snapshot link: the resource checks the signature (and answers 403 for a bad one)
                return signedSnapshot(method, path, request) ? CheckResult.PERMIT : CheckResult.DENY;
            }
            if (path.startsWith("/q/metrics") && !id.hasRole(Role.ADMIN.id())) {
                return CheckResult.DENY; // every stream and its audience: admins only
            }
            Optional<ShareGrant> share = CallerCredential.share(id);
            if (share.isPresent()) {
                return ShareFence.allows(share.get(), method, path) ? CheckResult.PERMIT : CheckResult.DENY;
            }
            Credential credential = CallerCredential.of(id).orElse(null);
            if (credential == null || !credential.isToken()) {
                return CheckResult.PERMIT;
            }
            return needed(method, path).stream().anyMatch(credential::allows) ? CheckResult.PERMIT : CheckResult.DENY;
        });
    }

    /** The scopes of which a token needs one for the request; none when no token may make it. */
    static Set<Scope> needed(String method, String path) {
        if (under(path, "/api/tokens") || under(path, "/api/sessions")) {
            return Set.of();
        }
        if (path.equals("/api/me")) {
            return EnumSet.allOf(Scope.class); // who am I: any token may ask
        }
        if (path.startsWith("/ws/") || under(path, "/api/streams") || under(path, "/api/links")) {
            return Set.of(Scope.VIEW); // watching, and sharing what one may watch (the links a viewer makes)
        }
        if (path.equals("/api/admin/streams") && (method.equals("GET") || method.equals("POST"))) {
            return Set.of(Scope.CAMERA);
        }
        return Set.of(Scope.ADMIN);
    }

    /** {@code GET /api/streams/{id}/snapshot.jpg?…&sig=…}, and only that: no other endpoint reads a signature. */
    static boolean signedSnapshot(String method, String path, RoutingContext request) {
        return method.equals("GET")
                && SIGNED_SNAPSHOT.matcher(path).matches()
                && request.request().getParam("sig") != null;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
