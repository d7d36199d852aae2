package io.picam.relay.web;

import io.picam.relay.api.StreamView;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.live.LiveState;
import io.picam.relay.security.LoginGuard;
import io.picam.relay.share.ShareCookie;
import io.picam.relay.share.ShareGrant;
import io.picam.relay.share.ShareLinks;
import io.picam.relay.share.ShareLinks.LiveLink;
import io.picam.relay.stream.StreamAccess;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /s/{token}}: a share link's page, for anyone holding the link. It gives the browser the link's cookie
 * ({@link ShareCookie}) once the PIN is entered (at once for a link without one) and shows the stream's player with
 * no way to anything else. An unknown token is 404, an ended link 410, with the same words (nothing that helps
 * guessing). Wrong PINs are counted per link and address like failed logins ({@link LoginGuard}): 403, then 429.
 */
@Path("/s/{token}")
@Produces(MediaType.TEXT_HTML)
public class SharePageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance player(StreamView stream, String label, String expiresAt, String recordingsPath);

        static native TemplateInstance recordings(StreamView stream, String livePath);

        static native TemplateInstance pin(String message);

        static native TemplateInstance invalid();
    }

    private static final DateTimeFormatter UNTIL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ShareLinks links;
    private final StreamAccess access;
    private final LiveState live;
    private final LoginGuard guard;
    private final CurrentVertxRequest request;
    private final int proxyHops;

    public SharePageResource(
            ShareLinks links,
            StreamAccess access,
            LiveState live,
            LoginGuard guard,
            CurrentVertxRequest request,
            RelayConfig config) {
        this.links = links;
        this.access = access;
        this.live = live;
        this.guard = guard;
        this.request = request;
        this.proxyHops = config.proxy().hops();
    }

    @GET
    @Blocking
    @Operation(hidden = true) // a page, like the others: not part of the API document
    public Response page(@PathParam("token") String token, @CookieParam(ShareCookie.NAME) String cookie) {
        Optional<LiveLink> found = links.byToken(token);
        if (found.isEmpty() || !found.get().activeAt(Instant.now())) {
            return html(found.isEmpty() ? 404 : 410, Templates.invalid());
        }
        LiveLink link = found.get();
        boolean holdsCookie = links.authenticate(cookie)
                .map(ShareGrant::linkId)
                .filter(id -> id == link.id())
                .isPresent();
        if (!holdsCookie && link.hasPin()) {
            return html(200, Templates.pin(null));
        }
        return player(token, link, !holdsCookie);
    }

    /** The stream's recordings, for a link that allows them, in a browser that holds its cookie. */
    @GET
    @Path("recordings")
    @Blocking
    @Operation(hidden = true)
    public Response recordings(@PathParam("token") String token, @CookieParam(ShareCookie.NAME) String cookie) {
        Optional<LiveLink> found = links.byToken(token);
        if (found.isEmpty()
                || !found.get().activeAt(Instant.now())
                || !found.get().recordings()) {
            return html(found.isEmpty() || found.get().activeAt(Instant.now()) ? 404 : 410, Templates.invalid());
        }
        LiveLink link = found.get();
        boolean holdsCookie = links.authenticate(cookie)
                .map(ShareGrant::linkId)
                .filter(id -> id == link.id())
                .isPresent();
        if (!holdsCookie) {
            return Response.seeOther(URI.create("/s/" + token)).build(); // the PIN first, or the cookie
        }
        return access.find(link.streamId())
                .map(live::view)
                .map(stream -> html(200, Templates.recordings(stream, "/s/" + token)))
                .orElseGet(() -> html(404, Templates.invalid()));
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true) // the PIN form: 303 to the page with the link's cookie; 403 wrong PIN; 429 too many
    public Response pin(@PathParam("token") String token, @FormParam("pin") String pin) {
        Optional<LiveLink> found = links.byToken(token);
        if (found.isEmpty() || !found.get().activeAt(Instant.now())) {
            return html(found.isEmpty() ? 404 : 410, Templates.invalid());
        }
        LiveLink link = found.get();
        String address = address();
        String key = "share-link:" + link.id(); // counted like a username: per address, and over all addresses
        if (guard.before(key, address, () -> false) instanceof LoginGuard.Verdict.Wait wait) {
            long seconds = Math.max(1, wait.retryAfter().toSeconds());
            return Response.fromResponse(
                            html(429, Templates.pin("Too many wrong PINs. Try again in " + seconds + " seconds.")))
                    .header("Retry-After", seconds)
                    .build();
        }
        if (!links.pinMatches(link, pin)) {
            guard.failed(key, address);
            return html(403, Templates.pin("Wrong PIN."));
        }
        guard.succeeded(key, address);
        links.used(link, address);
        return Response.seeOther(URI.create("/s/" + token))
                .header("Set-Cookie", links.cookieFor(request.getCurrent().request(), link))
                .header("Cache-Control", "no-store")
                .build();
    }

    private Response player(String token, LiveLink link, boolean giveCookie) {
        Optional<StreamView> stream = access.find(link.streamId()).map(live::view);
        if (stream.isEmpty()) {
            return html(404, Templates.invalid()); // the stream went with its links
        }
        links.used(link, address());
        String until = UNTIL.format(link.expiresAt());
        String recordingsPath = link.recordings() ? "/s/" + token + "/recordings" : null;
        Response page = html(200, Templates.player(stream.get(), link.label(), until, recordingsPath));
        return giveCookie
                ? Response.fromResponse(page)
                        .header(
                                "Set-Cookie",
                                links.cookieFor(request.getCurrent().request(), link))
                        .build()
                : page;
    }

    private String address() {
        HttpServerRequest current = request.getCurrent().request();
        return ClientAddress.of(current, proxyHops);
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store")
                .entity(page.render())
                .build();
    }
}
