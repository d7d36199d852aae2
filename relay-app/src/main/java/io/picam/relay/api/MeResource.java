package io.picam.relay.api;

import io.picam.relay.security.CsrfTokens;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/me}: who is logged in, and the CSRF token that session-authenticated changes must send. */
@Path("/api/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "me", description = "The caller")
public class MeResource {

    /** {@code csrfToken} is null for a personal access token, which needs none. */
    public record Me(String username, Set<String> roles, String csrfToken) {}

    private final SecurityIdentity identity;
    private final CsrfTokens csrf;

    public MeResource(SecurityIdentity identity, CsrfTokens csrf) {
        this.identity = identity;
        this.csrf = csrf;
    }

    @GET
    @Operation(summary = "Username, roles, and the value for the X-CSRF-Token header of cookie-authenticated changes")
    public Me me() {
        String name = identity.getPrincipal().getName();
        return new Me(name, new TreeSet<>(identity.getRoles()), csrf.tokenFor(identity));
    }
}
