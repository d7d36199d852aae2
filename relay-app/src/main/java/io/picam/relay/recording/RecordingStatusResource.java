package io.picam.relay.recording;

import io.picam.relay.recording.store.RecordingStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Whether this relay records at all, for the admin page. */
@Path("/api/admin/recording")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "recordings")
public class RecordingStatusResource {

    /** Where recordings go, or why there are none, and whether the folder's disk is below its free-space floor. */
    public record Status(boolean available, String store, String offReason, boolean belowFloor, long queuedBytes) {}

    private final RecordingStorage storage;
    private final RecordingRetention retention;
    private final SegmentUploader uploader;

    public RecordingStatusResource(RecordingStorage storage, RecordingRetention retention, SegmentUploader uploader) {
        this.storage = storage;
        this.retention = retention;
        this.uploader = uploader;
    }

    @GET
    @Operation(summary = "Whether this relay records, to which store, or why not")
    public Status status() {
        return new Status(
                storage.store().isPresent(),
                storage.store().map(RecordingStore::describe).orElse(null),
                storage.offReason().orElse(null),
                retention.belowFloor(),
                uploader.queuedBytes());
    }
}
