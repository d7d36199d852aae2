package io.picam.relay.recording;

import io.picam.relay.api.JsonErrorMapper.ApiException;
import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.recording.store.RecordingStore;
import io.picam.relay.recording.store.StoreException;
import io.picam.relay.stream.StreamAccess;
import io.picam.relay.stream.StreamAccess.StreamRef;
import io.picam.relay.stream.StreamFormat;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The recordings of a stream, for whoever may watch it live: recorded spans, segments (with HTTP Range, so players
 * can seek) and a clip of a time range as one file. Downloads are in the audit log.
 */
@Path("/api/streams/{id}/recordings")
@Authenticated
@Tag(name = "recordings", description = "Recorded video of a stream (rights as for watching it live)")
public class RecordingsResource {

    /** The longest clip one request may download. */
    static final Duration MAX_CLIP = Duration.ofHours(6);

    private static final Duration DEFAULT_RANGE = Duration.ofDays(7);

    private final StreamAccess access;
    private final SecurityIdentity identity;
    private final RecordingIndex index;
    private final RecordingStorage storage;
    private final AdminAudit audit;

    public RecordingsResource(
            StreamAccess access,
            SecurityIdentity identity,
            RecordingIndex index,
            RecordingStorage storage,
            AdminAudit audit) {
        this.access = access;
        this.identity = identity;
        this.index = index;
        this.storage = storage;
        this.audit = audit;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Recorded spans (start, end) of the stream between from and to (ISO-8601; default the last 7 days)")
    public List<RecordingIndex.Span> spans(
            @PathParam("id") String id,
            @Parameter(description = "ISO-8601 instant") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant") @QueryParam("to") String to) {
        watchable(id);
        Instant end = instant("to", to, Instant.now());
        return index.spans(id, instant("from", from, end.minus(DEFAULT_RANGE)), end);
    }

    @GET
    @Path("segments")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The stored segments between from and to, each playable on its own, for players")
    public List<RecordingIndex.Segment> segments(
            @PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        watchable(id);
        Instant end = instant("to", to, Instant.now());
        return index.segments(id, instant("from", from, end.minus(DEFAULT_RANGE)), end);
    }

    @GET
    @Path("segments/{segment}")
    @Produces({"video/mp4", "video/mp2t"})
    @Operation(summary = "One segment (video/mp4 or video/mp2t); honours a single HTTP Range (206)")
    public Response segment(
            @PathParam("id") String id, @PathParam("segment") long segmentId, @HeaderParam("Range") String range) {
        StreamRef stream = watchable(id);
        RecordedSegment row = index.find(id, segmentId)
                .orElseThrow(() ->
                        new ApiException(404, "Not Found", "no recorded segment " + segmentId + " of stream " + id));
        RecordingStore store = store();
        ByteRange wanted = ByteRange.parse(range, row.bytes);
        if (wanted == ByteRange.UNSATISFIABLE) {
            return Response.status(416)
                    .header("Content-Range", "bytes */" + row.bytes)
                    .build();
        }
        Response.ResponseBuilder answer;
        InputStream in;
        if (wanted == null) {
            in = open(store, row.storageKey, 0, -1);
            answer = Response.ok().header(HttpHeaders.CONTENT_LENGTH, row.bytes);
        } else {
            in = open(store, row.storageKey, wanted.first(), wanted.length());
            answer = Response.status(206)
                    .header("Content-Range", wanted.contentRange(row.bytes))
                    .header(HttpHeaders.CONTENT_LENGTH, wanted.length());
        }
        return answer.type(stream.format().contentType())
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=3600")
                .entity((StreamingOutput) out -> {
                    try (in) {
                        in.transferTo(out);
                    }
                })
                .build();
    }

    @GET
    @Path("clip")
    @Produces({"video/mp4", "video/mp2t"})
    @Operation(
            summary = "The recordings between from and to as one file (an MP4 for fmp4 streams, MPEG-TS for mpegts), "
                    + "streamed, whole segments; at most 6 hours; stops at a change of the camera's settings")
    public Response clip(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        StreamRef stream = watchable(id);
        Instant start = instant("from", from, null);
        Instant end = instant("to", to, null);
        if (start == null || end == null || !end.isAfter(start)) {
            throw new ApiException(400, "Bad Request", "from and to are required, ISO-8601 instants, to after from");
        }
        if (Duration.between(start, end).compareTo(MAX_CLIP) > 0) {
            throw new ApiException(400, "Bad Request", "a clip is at most " + MAX_CLIP.toHours() + " hours");
        }
        List<RecordedSegment> rows = Clip.joinable(index.rows(id, start, end));
        if (rows.isEmpty()) {
            throw new ApiException(
                    404, "Not Found", "nothing of stream " + id + " is recorded between " + start + " and " + end);
        }
        RecordingStore store = store();
        audit.record(
                Action.RECORDING_DOWNLOADED, id, "clip " + rows.get(0).start + " to " + rows.get(rows.size() - 1).end);
        String extension = stream.format() == StreamFormat.FMP4 ? "mp4" : "ts";
        String name =
                id + "-" + rows.get(0).start.toString().replace(":", "").replaceAll("\\.\\d+", "") + "." + extension;
        return Response.ok((StreamingOutput) out -> Clip.write(store, rows, out))
                .type(stream.format().contentType())
                .header(HttpHeaders.CONTENT_LENGTH, Clip.length(rows))
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .build();
    }

    private StreamRef watchable(String id) {
        return switch (access.mayWatch(identity, id)) {
            case ALLOWED -> access.find(id).orElseThrow(() -> new ApiException(404, "Not Found", "no stream " + id));
            case UNKNOWN -> throw new ApiException(404, "Not Found", "no stream " + id);
            case FORBIDDEN -> throw new ApiException(403, "Forbidden", "you may not watch stream " + id);
        };
    }

    private RecordingStore store() {
        return storage.store()
                .orElseThrow(() -> new ApiException(
                        503,
                        "Service Unavailable",
                        "recording is off on this relay: " + storage.offReason().orElse("")));
    }

    private static InputStream open(RecordingStore store, String key, long offset, long length) {
        try {
            return store.get(key, offset, length);
        } catch (StoreException e) {
            throw new ApiException(503, "Service Unavailable", "the recordings store did not answer, try again");
        }
    }

    private static Instant instant(String name, String value, Instant otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(
                    400, "Bad Request", name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
