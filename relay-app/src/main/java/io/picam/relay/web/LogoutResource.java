package io.picam.relay.web;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.picam.relay.security.CsrfTokens;
import io.quarkus.security.identity.SecurityIdentity;

/** {@code POST /logout}: forgets the login cookie and goes back to the login page. */
@Path("/logout")
public class LogoutResource {

    private final String cookieName;
    private final CsrfTokens csrf;
    private final SecurityIdentity identity;

    public LogoutResource(@ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName, CsrfTokens csrf,
                          SecurityIdentity identity) {
        this.cookieName = cookieName;
        this.csrf = csrf;
        this.identity = identity;
    }

    /** Another site must not be able to log a user out: the form carries the page's CSRF token. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@FormParam(CsrfTokens.FORM_FIELD) String token) {
        if (!identity.isAnonymous() && !csrf.matches(identity.getPrincipal().getName(), token)) {
            return Response.status(403).type(MediaType.TEXT_PLAIN).entity("log out from a picam page (missing or wrong csrf field)\n").build();
        }
        NewCookie expired = new NewCookie.Builder(cookieName).value("").path("/").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).build();
        return Response.seeOther(URI.create("/login")).cookie(expired).build();
    }
}
