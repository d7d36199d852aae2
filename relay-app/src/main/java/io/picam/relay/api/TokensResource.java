package io.picam.relay.api;

import io.picam.relay.account.AccessTokens;
import io.picam.relay.account.AccessTokens.IssuedToken;
import io.picam.relay.account.AccessTokens.TokenView;
import io.picam.relay.account.Role;
import io.picam.relay.account.Scope;
import io.picam.relay.api.JsonErrorMapper.ApiException;
import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/tokens}: the caller's own personal access tokens, for scripts and {@code picam setup}. Only a login
 * reaches these ({@link io.picam.relay.security.TokenScopePolicy}): a token never makes or lists tokens.
 */
@Path("/api/tokens")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens", description = "Your personal access tokens: send one as 'Authorization: Bearer <token>'")
public class TokensResource {

    /** Body of {@code POST /api/tokens}. */
    public record NewToken(
            @NotBlank(message = "name is required")
            @Size(max = 100, message = "name is at most 100 characters")
            @Pattern(regexp = "[^\\p{Cntrl}]*", message = "name must not contain control characters")
            String name,

            @Min(value = 1, message = "expiresInDays is 1 to 365")
            @Max(value = 365, message = "expiresInDays is 1 to 365")
            Integer expiresInDays,

            @Size(max = 3, message = "scopes lists at most view, camera and admin")
            List<@NotNull(message = "a scope is view, camera or admin") Scope> scopes) {}

    private final AccessTokens tokens;
    private final AdminAudit audit;
    private final SecurityIdentity identity;

    public TokensResource(AccessTokens tokens, AdminAudit audit, SecurityIdentity identity) {
        this.tokens = tokens;
        this.audit = audit;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Your tokens (without the tokens themselves)")
    public List<TokenView> list() {
        return tokens.list(audit.actor());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create a token valid for expiresInDays (default 90) with scopes (default [\"view\"]: watch "
                    + "and list; \"camera\": create and read streams, for picam setup; \"admin\": everything an admin may); "
                    + "the answer is the only time it is shown. Only a login can create tokens, never a token.")
    public Response create(
            @Valid @NotNull(message = "a JSON body {name, expiresInDays?, scopes?} is required") NewToken body) {
        int days = body.expiresInDays() == null ? 90 : body.expiresInDays();
        Set<Scope> scopes = body.scopes() == null || body.scopes().isEmpty()
                ? EnumSet.of(Scope.VIEW)
                : EnumSet.copyOf(body.scopes());
        if (!identity.hasRole(Role.ADMIN.id()) && (scopes.contains(Scope.ADMIN) || scopes.contains(Scope.CAMERA))) {
            throw new ApiException(400, "Bad Request", "scopes camera and admin are for admins; yours can be view");
        }
        IssuedToken issued = tokens.issue(audit.actor(), body.name(), Duration.ofDays(days), scopes);
        audit.record(
                Action.TOKEN_CREATED,
                "token " + issued.id(),
                issued.name() + ", " + days + " days, scopes "
                        + String.join(",", scopes.stream().map(Scope::id).toList()));
        return Response.created(URI.create("/api/tokens/" + issued.id()))
                .entity(issued)
                .build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke one of your tokens; it fails at once")
    public Response revoke(@PathParam("id") long id) {
        TokenView revoked = tokens.revoke(audit.actor(), id);
        audit.record(Action.TOKEN_REVOKED, "token " + id, revoked.name());
        return Response.noContent().build();
    }
}
