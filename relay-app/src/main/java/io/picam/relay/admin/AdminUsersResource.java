package io.picam.relay.admin;

import io.picam.relay.account.AccessTokens;
import io.picam.relay.account.AccessTokens.TokenView;
import io.picam.relay.account.Role;
import io.picam.relay.account.UserDirectory;
import io.picam.relay.account.UserDirectory.UserView;
import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.security.CallerCredential;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The users part of the admin API. */
@Path("/api/admin/users")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users", description = "Accounts and their roles (admin only)")
public class AdminUsersResource {

    // the directory's changes fire events (CredentialsEnded, AccessChanged) that close what the user may no
    // longer hold, here and on the other instances
    private final UserDirectory users;
    private final AdminAudit audit;
    private final SecurityIdentity identity;
    private final AccessTokens tokens;

    public AdminUsersResource(UserDirectory users, AdminAudit audit, SecurityIdentity identity, AccessTokens tokens) {
        this.tokens = tokens;
        this.users = users;
        this.audit = audit;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Every user with roles and the streams granted to them")
    public List<UserView> list() {
        return users.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a user (409 when the username is taken, case-insensitively)")
    public Response create(
            @Valid @NotNull(message = "a JSON body {username, password, roles} is required") NewUser body) {
        UserView created = users.create(body.username(), body.password(), body.roles());
        audit.record(Action.USER_CREATED, created.username(), "roles " + Role.describe(created.roles()));
        return Response.created(URI.create("/api/admin/users/" + created.username()))
                .entity(created)
                .build();
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("{username}")
    @Operation(
            summary = "Reset the password and/or set the roles. A new password or a removed role ends every session "
                    + "and token of the user (but the caller's own session) and closes their sockets; viewers losing access "
                    + "are disconnected")
    public UserView update(
            @PathParam("username") String username,
            @Valid @NotNull(message = "a JSON body {password?, roles?} is required") UserChange body) {
        UserView changed = users.update(
                audit.actor(),
                CallerCredential.sessionId(identity),
                username,
                Optional.ofNullable(body.password()),
                Optional.ofNullable(body.roles()));
        StringBuilder what = new StringBuilder();
        if (body.password() != null) {
            what.append("password reset");
        }
        if (body.roles() != null) {
            what.append(what.isEmpty() ? "" : ", ").append("roles ").append(Role.describe(changed.roles()));
        }
        audit.record(Action.USER_UPDATED, changed.username(), what.toString());
        return changed;
    }

    @GET
    @Path("{username}/tokens")
    @Operation(
            summary = "A user's personal access tokens (without the tokens themselves), newest first; revoke one with "
                    + "DELETE /api/admin/tokens/{id}")
    public List<TokenView> tokens(@PathParam("username") String username) {
        return tokens.list(username);
    }

    @DELETE
    @Path("{username}")
    @Operation(summary = "Delete a user, their grants and tokens; their viewers are disconnected")
    public Response delete(@PathParam("username") String username) {
        users.delete(audit.actor(), username);
        audit.record(Action.USER_DELETED, username, null);
        return Response.noContent().build();
    }
}
