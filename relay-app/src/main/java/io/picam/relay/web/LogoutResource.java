package io.picam.relay.web;

import io.picam.relay.account.LoginSessions;
import io.picam.relay.security.CallerCredential;
import io.picam.relay.security.CsrfTokens;
import io.picam.relay.security.LoginCookie;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** {@code POST /logout}: ends the login on the server (its cookie is refused from now on) and forgets the cookie. */
@Path("/logout")
public class LogoutResource {

    private final CsrfTokens csrf;
    private final SecurityIdentity identity;
    private final LoginSessions sessions;
    private final CurrentVertxRequest request;

    public LogoutResource(
            CsrfTokens csrf, SecurityIdentity identity, LoginSessions sessions, CurrentVertxRequest request) {
        this.csrf = csrf;
        this.identity = identity;
        this.sessions = sessions;
        this.request = request;
    }

    /** Another site must not be able to log a user out: the form carries the page's CSRF token. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@FormParam(CsrfTokens.FORM_FIELD) String token) {
        long session = CallerCredential.sessionId(identity);
        if (session != 0) {
            if (!csrf.matches(identity, token)) {
                return Response.status(403)
                        .type(MediaType.TEXT_PLAIN)
                        .entity("log out from a picam page (missing or wrong csrf field)\n")
                        .build();
            }
            sessions.end(identity.getPrincipal().getName(), session);
        }
        return Response.seeOther(URI.create("/login"))
                .header("Set-Cookie", LoginCookie.expire(request.getCurrent().request()))
                .build();
    }
}
