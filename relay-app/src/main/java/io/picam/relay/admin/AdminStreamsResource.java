package io.picam.relay.admin;

import io.picam.relay.api.JsonErrorMapper.ApiException;
import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.recording.RecordingIndex;
import io.picam.relay.share.ViewerLinks;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The streams part of the admin API: create, list, change, rotate the secret, grant viewing, delete. */
@Path("/api/admin/streams")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "streams", description = "Cameras, their publishing secrets and who may watch them (admin only)")
public class AdminStreamsResource {

    /** Answer to a rotation: the only time the new secret is shown. */
    public record RotatedSecret(String id, String secret) {}

    /**
     * A stream as the admin list shows it: its details, its recording settings and whether its viewers may make
     * share links.
     */
    public record ListedStream(
            String id,
            String name,
            StreamFormat format,
            Instant createdAt,
            Instant secretRotatedAt,
            List<String> viewers,
            RecordingIndex.Settings recording,
            boolean viewersMayShare) {
        static ListedStream of(StreamCatalog.StreamDetails s, RecordingIndex.Settings recording) {
            return new ListedStream(
                    s.id(),
                    s.name(),
                    s.format(),
                    s.createdAt(),
                    s.secretRotatedAt(),
                    s.viewers(),
                    recording,
                    s.viewersMayShare());
        }
    }

    // the catalog's changes fire events (SecretRotated, StreamDeleted, AccessChanged) that disconnect whoever
    // lost access, here and on the other instances
    private final StreamCatalog catalog;
    private final AdminAudit audit;
    private final RecordingIndex recordings;
    private final ViewerLinks viewerLinks;

    public AdminStreamsResource(
            StreamCatalog catalog, AdminAudit audit, RecordingIndex recordings, ViewerLinks viewerLinks) {
        this.catalog = catalog;
        this.audit = audit;
        this.recordings = recordings;
        this.viewerLinks = viewerLinks;
    }

    @GET
    @Operation(
            summary = "Every stream with its format, dates, the users granted to watch it and its recording settings "
                    + "(never the secret)")
    public List<ListedStream> list() {
        Map<String, RecordingIndex.Settings> recording = recordings.allSettings();
        return catalog.list().stream()
                .map(s -> ListedStream.of(s, recording.getOrDefault(s.id(), RecordingIndex.Settings.OFF)))
                .toList();
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Change a stream's settings: viewersMayShare lets the users granted it make share links of it; "
                    + "turned off, the links they made stop working at once")
    public ListedStream change(
            @PathParam("id") String id,
            @Valid @NotNull(message = "a JSON body {viewersMayShare?} is required") StreamChange body) {
        if (body.viewersMayShare() == null) {
            throw new ApiException(400, "Bad Request", "nothing to change: give viewersMayShare (true or false)");
        }
        int ended = viewerLinks.letViewersShare(id, body.viewersMayShare());
        audit.record(
                Action.STREAM_CHANGED,
                id,
                "viewers may share: " + (body.viewersMayShare() ? "yes" : "no")
                        + (ended > 0 ? ", " + ended + " of their links revoked" : ""));
        return ListedStream.of(catalog.details(id), recordings.settings(id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a stream; the answer holds its publishing secret, shown only this once")
    public Response create(@Valid @NotNull(message = "a JSON body {name, format} is required") NewStream body) {
        StreamCatalog.Created created = catalog.create(body.name(), body.format());
        var stream = created.stream();
        audit.record(
                Action.STREAM_CREATED,
                stream.id(),
                stream.name() + " (" + stream.format().id() + ")");
        return Response.created(URI.create("/streams/" + stream.id()))
                .entity(new CreatedStream(stream.id(), stream.name(), stream.format(), created.secret()))
                .build();
    }

    @POST
    @Path("{id}/secret")
    @Operation(
            summary = "Rotate the publishing secret: the new one is shown once, the old one fails at once "
                    + "and a publisher using it is disconnected")
    public RotatedSecret rotate(@PathParam("id") String id) {
        String secret = catalog.rotateSecret(id);
        audit.record(Action.SECRET_ROTATED, id, null);
        return new RotatedSecret(id, secret);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a stream; its publisher and viewers are disconnected")
    public Response delete(@PathParam("id") String id) {
        catalog.delete(id);
        audit.record(Action.STREAM_DELETED, id, null);
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}/viewers/{username}")
    @Operation(summary = "Let a user watch this stream (idempotent)")
    public Response grant(@PathParam("id") String id, @PathParam("username") String username) {
        if (catalog.grant(id, username)) {
            audit.record(Action.GRANT_ADDED, id, "viewer " + username);
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("{id}/viewers/{username}")
    @Operation(summary = "Stop a user watching this stream; their open viewers of it are disconnected")
    public Response revoke(@PathParam("id") String id, @PathParam("username") String username) {
        if (catalog.revoke(id, username)) {
            audit.record(Action.GRANT_REVOKED, id, "viewer " + username);
        }
        return Response.noContent().build();
    }
}
