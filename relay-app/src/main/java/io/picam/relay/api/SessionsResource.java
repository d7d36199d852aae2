package io.picam.relay.api;

import io.picam.relay.account.LoginSessions;
import io.picam.relay.account.LoginSessions.SessionView;
import io.picam.relay.api.JsonErrorMapper.ApiException;
import io.picam.relay.security.CallerCredential;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/sessions}: the caller's logins (browsers and devices), each of which they may end. Not for tokens. */
@Path("/api/sessions")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions", description = "Your logins: see where you are logged in and end any of them")
public class SessionsResource {

    private final LoginSessions sessions;
    private final SecurityIdentity identity;

    public SessionsResource(LoginSessions sessions, SecurityIdentity identity) {
        this.sessions = sessions;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Your sessions, most recently used first; 'current' is the one making this call")
    public List<SessionView> list() {
        return sessions.list(username(), CallerCredential.sessionId(identity));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "End one of your sessions (this one too, which logs you out); its sockets close at once")
    public Response end(@PathParam("id") long id) {
        if (!sessions.end(username(), id)) {
            throw ApiException.notFound("no session " + id);
        }
        return Response.noContent().build();
    }

    @DELETE
    @Operation(summary = "End every session of yours but the current one")
    public Response endOthers() {
        sessions.endAllBut(username(), CallerCredential.sessionId(identity));
        return Response.noContent().build();
    }

    private String username() {
        return identity.getPrincipal().getName();
    }
}
