package io.picam.relay.admin;

import io.picam.relay.account.AccessTokens;
import io.picam.relay.account.AccessTokens.Revoked;
import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Anyone's personal access token, for admins, to revoke (listed per user by
 * {@code GET /api/admin/users/{username}/tokens} in {@link AdminUsersResource}).
 */
@Path("/api/admin/tokens")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens", description = "Your personal access tokens: send one as 'Authorization: Bearer <token>'")
public class AdminTokensResource {

    private final AccessTokens tokens;
    private final AdminAudit audit;

    public AdminTokensResource(AccessTokens tokens, AdminAudit audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke anyone's token: it fails at once and the sockets it opened close")
    public Response revoke(@PathParam("id") long id) {
        Revoked revoked = tokens.revokeAny(id);
        audit.record(Action.TOKEN_REVOKED, "token " + id, revoked.token().name() + " of " + revoked.owner());
        return Response.noContent().build();
    }
}
