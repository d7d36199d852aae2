package io.picam.client.relay;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The relay's HTTP API as {@code setup} and {@code doctor} use it, typed with the relay's own JSON shapes. Built
 * per relay URL by {@link RelayApi}; credentials travel as headers: {@code Authorization: Bearer <token>}, or the
 * login cookie with the CSRF token that {@code /api/me} hands out.
 */
@Path("/")
public interface RelayClient {

    /** {@code POST /api/admin/streams} body. */
    record NewStream(String name, String format) {
    }

    /** Its answer: the only time the relay shows the secret. */
    record CreatedStream(String id, String name, String format, String secret) {
    }

    /** {@code GET /api/me}. */
    record Me(String username, java.util.Set<String> roles, String csrfToken) {
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    Response loginPage();

    /** Form login; a 302 carrying the session cookie on success, a 302 to the error page otherwise. */
    @POST
    @Path("j_security_check")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Response login(@FormParam("j_username") String username, @FormParam("j_password") String password);

    @GET
    @Path("api/me")
    @Produces(MediaType.APPLICATION_JSON)
    Me me(@HeaderParam("Authorization") String authorization, @HeaderParam("Cookie") String cookie);

    @POST
    @Path("api/admin/streams")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    CreatedStream createStream(@HeaderParam("Authorization") String authorization, @HeaderParam("Cookie") String cookie,
                               @HeaderParam("X-CSRF-Token") String csrf, NewStream body);

    /** An empty, authenticated upload: the relay answers 200 at once when it accepts the secret. */
    @POST
    @Path("ingest/{id}")
    Response ingest(@PathParam("id") String streamId, @HeaderParam("Authorization") String authorization,
                    @HeaderParam("Content-Type") String contentType, byte[] body);
}
