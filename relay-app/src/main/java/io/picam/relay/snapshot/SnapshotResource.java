package io.picam.relay.snapshot;

import io.picam.relay.api.JsonErrorMapper.ApiException;
import io.picam.relay.stream.StreamAccess;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.Date;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /api/streams/{id}/snapshot.jpg}: the relay's latest picture of a stream, for whoever may watch it.
 * {@code Last-Modified} is when it was decoded (for an offline camera, when it was last seen live); the
 * {@code ETag} lets a camera list poll it for the price of a 304. With {@code expires} and {@code sig} (a signed link,
 * see {@link SnapshotLinks}) it needs no login, and answers 403 when the link is expired or not this stream's; the
 * {@code picam} policy lets anonymous callers reach this one endpoint only with a {@code sig}.
 */
@Path("/api/streams/{id}/snapshot.jpg")
@PermitAll
public class SnapshotResource {

    private final StreamAccess access;
    private final Snapshots snapshots;
    private final SnapshotLinks links;
    private final SecurityIdentity identity;

    public SnapshotResource(StreamAccess access, Snapshots snapshots, SnapshotLinks links, SecurityIdentity identity) {
        this.access = access;
        this.snapshots = snapshots;
        this.links = links;
        this.identity = identity;
    }

    @GET
    @Blocking
    @Operation(
            summary =
                    "The relay's latest picture of the stream (JPEG); for an offline camera the last one, Last-Modified saying when")
    @Produces({"image/jpeg", "application/json"})
    public Response get(
            @PathParam("id") String id,
            @QueryParam("expires") String expires,
            @QueryParam("sig") String sig,
            @Context Request request) {
        if (expires != null || sig != null) {
            if (!links.valid(id, expires, sig)) {
                throw new ApiException(403, "Forbidden", "this snapshot link has expired or is not valid");
            }
        } else if (identity.isAnonymous()) {
            throw new ApiException(401, "Unauthorized", "log in, or use a signed snapshot link");
        } else {
            switch (access.mayWatch(identity, id)) {
                case UNKNOWN -> throw new ApiException(404, "Not Found", "no stream " + id);
                case FORBIDDEN -> throw new ApiException(403, "Forbidden", "you may not watch this stream");
                default -> {}
            }
        }
        Optional<Snapshot> snapshot = snapshots.wanted(id);
        if (snapshot.isEmpty()) {
            // not an error (a camera list asks for every camera): no picture yet, it has not been live since the start
            return Response.noContent().header("Cache-Control", "no-store").build();
        }
        Snapshot s = snapshot.get();
        CacheControl cache = new CacheControl();
        cache.setPrivate(true); // someone's home: no shared cache keeps it
        cache.setMaxAge(2);
        cache.setMustRevalidate(true);
        EntityTag tag = EntityTag.valueOf(s.etag());
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
        Response.ResponseBuilder answer = unchanged != null ? unchanged : Response.ok(s.jpeg(), "image/jpeg");
        return answer.tag(tag)
                .cacheControl(cache)
                .lastModified(Date.from(s.takenAt()))
                .header("X-Picam-Snapshot-Taken-At", s.takenAt().toString())
                .build();
    }
}
