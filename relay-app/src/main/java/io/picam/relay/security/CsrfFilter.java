package io.picam.relay.security;

import io.picam.relay.api.JsonErrorMapper.ApiError;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every state change made with the session cookie must carry the page's CSRF token in {@code X-CSRF-Token}. Calls
 * authenticated by a personal access token need none: a browser never sends one on its own. A mere
 * {@code Authorization} header is no such proof (the cookie may still be what authenticated the call).
 * {@code /logout}, a plain form, checks its {@code csrf} field itself.
 */
public class CsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final CsrfTokens tokens;
    private final SecurityIdentity identity;

    public CsrfFilter(CsrfTokens tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())
                || identity.isAnonymous()
                || request.getUriInfo().getPath().equals("/logout")
                // a share link's PIN form: a plain form of a page that has no session to protect
                || request.getUriInfo().getPath().startsWith("/s/")
                || CallerCredential.isToken(identity)) {
            return null;
        }
        if (tokens.matches(identity, request.getHeaderString(CsrfTokens.HEADER))) {
            return null;
        }
        return Response.status(403)
                .type(MediaType.APPLICATION_JSON)
                .entity(
                        new ApiError(
                                "Forbidden",
                                403,
                                "missing or wrong " + CsrfTokens.HEADER
                                        + " header: our pages send it; scripts use a personal access token (Authorization: Bearer)"))
                .build();
    }
}
