package io.picam.relay.web;

import io.picam.relay.api.StreamView;
import io.picam.relay.live.LiveState;
import io.picam.relay.security.LoginCookie;
import io.picam.relay.share.ViewerLinks;
import io.picam.relay.stream.StreamAccess;
import io.picam.relay.stream.StreamAccess.Decision;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The HTML pages. They are public routes that send anonymous visitors to {@code /login} themselves, because
 * Quarkus' form login would otherwise redirect API and WebSocket calls too, where the contract wants 401.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(boolean error, boolean expired);

        static native TemplateInstance streams(String username, boolean admin, List<StreamView> streams);

        static native TemplateInstance player(String username, StreamView stream, boolean mayShare);

        static native TemplateInstance recordings(String username, StreamView stream);

        static native TemplateInstance admin(String username);

        static native TemplateInstance account(String username, boolean admin);

        static native TemplateInstance refused(String username, int status, String title, String message);
    }

    private final SecurityIdentity identity;
    private final StreamAccess access;
    private final LiveState live;
    private final ViewerLinks viewerLinks;

    public PageResource(SecurityIdentity identity, StreamAccess access, LiveState live, ViewerLinks viewerLinks) {
        this.identity = identity;
        this.access = access;
        this.live = live;
        this.viewerLinks = viewerLinks;
    }

    @GET
    @Path("login")
    public Response login(@QueryParam("error") String error, @QueryParam("expired") String expired) {
        if (!identity.isAnonymous()) {
            return seeOther("/");
        }
        return html(200, Templates.login(error != null, expired != null && error == null));
    }

    /**
     * Where an anonymous visitor goes: the login page, which says the session ended when the browser still sent a
     * login cookie (it expired, or was ended from another device or by a password reset).
     */
    private Response toLogin(HttpHeaders headers) {
        return seeOther(headers.getCookies().containsKey(LoginCookie.NAME) ? "/login?expired=1" : "/login");
    }

    @GET
    public Response streams(@Context HttpHeaders headers) {
        if (identity.isAnonymous()) {
            return toLogin(headers);
        }
        List<StreamView> streams =
                access.visibleTo(identity).stream().map(live::view).toList();
        return html(200, Templates.streams(username(), identity.hasRole("admin"), streams));
    }

    @GET
    @Path("streams/{id}")
    public Response player(@PathParam("id") String id, @Context HttpHeaders headers) {
        // a "Share" button for whoever may make links of the stream (admins; its viewers when it lets them)
        return streamPage(
                id,
                headers,
                (username, stream) -> Templates.player(
                        username, stream, viewerLinks.mayShare(ViewerLinks.Caller.of(identity), stream.id())),
                "You may not watch this stream.");
    }

    /** The recordings of a stream: a timeline of the last days, played from any moment (rights as for live). */
    @GET
    @Path("streams/{id}/recordings")
    public Response recordings(@PathParam("id") String id, @Context HttpHeaders headers) {
        return streamPage(id, headers, Templates::recordings, "You may not watch this stream or its recordings.");
    }

    /** A page about one stream, for whoever may watch it live: the login page, 404 or 403 otherwise. */
    private Response streamPage(
            String id, HttpHeaders headers, BiFunction<String, StreamView, TemplateInstance> page, String refusal) {
        if (identity.isAnonymous()) {
            return toLogin(headers);
        }
        Decision decision = access.mayWatch(identity, id);
        if (decision == Decision.ALLOWED) {
            return html(
                    200, page.apply(username(), access.find(id).map(live::view).orElseThrow()));
        }
        if (decision == Decision.UNKNOWN) {
            return html(
                    404, Templates.refused(username(), 404, "No such stream", "There is no stream with this address."));
        }
        return html(
                403,
                Templates.refused(username(), 403, "No access", refusal + " Ask an administrator to grant it to you."));
    }

    @GET
    @Path("admin")
    public Response admin(@Context HttpHeaders headers) {
        if (identity.isAnonymous()) {
            return toLogin(headers);
        }
        if (!identity.hasRole("admin")) {
            return html(
                    403,
                    Templates.refused(username(), 403, "No access", "Only administrators manage users and cameras."));
        }
        return html(200, Templates.admin(username()));
    }

    /** Your sessions and personal access tokens. */
    @GET
    @Path("account")
    public Response account(@Context HttpHeaders headers) {
        if (identity.isAnonymous()) {
            return toLogin(headers);
        }
        return html(200, Templates.account(username(), identity.hasRole("admin")));
    }

    private String username() {
        return identity.getPrincipal().getName();
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store")
                .entity(page.render())
                .build();
    }

    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
