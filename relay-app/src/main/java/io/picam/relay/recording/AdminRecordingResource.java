package io.picam.relay.recording;

import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.domain.NotFoundException;
import io.picam.relay.stream.StreamAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Recording settings of a stream (admin only). */
@Path("/api/admin/streams/{id}/recording")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "recordings")
public class AdminRecordingResource {

    /** The body of a change; a retention left out (null) means no limit of that kind. */
    public record RecordingChange(
            @NotNull(message = "enabled is required") Boolean enabled,

            @Positive(message = "retentionDays must be positive")
            Integer retentionDays,

            @Positive(message = "retentionBytes must be positive")
            Long retentionBytes) {}

    private final RecordingIndex index;
    private final StreamAccess access;
    private final Recorder recorder;
    private final AdminAudit audit;

    public AdminRecordingResource(RecordingIndex index, StreamAccess access, Recorder recorder, AdminAudit audit) {
        this.index = index;
        this.access = access;
        this.recorder = recorder;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "The recording settings of a stream")
    public RecordingIndex.Settings settings(@PathParam("id") String id) {
        if (access.find(id).isEmpty()) {
            throw new NotFoundException("no stream " + id);
        }
        return index.settings(id);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Turn recording of a stream on or off and set its retention (days and/or bytes; omitted: no limit)")
    public RecordingIndex.Settings change(
            @PathParam("id") String id,
            @Valid @NotNull(message = "a JSON body {enabled, retentionDays?, retentionBytes?} is required")
                    RecordingChange body) {
        if (access.find(id).isEmpty()) {
            throw new NotFoundException("no stream " + id);
        }
        RecordingIndex.Settings settings =
                new RecordingIndex.Settings(body.enabled(), body.retentionDays(), body.retentionBytes());
        index.saveSettings(id, settings);
        recorder.settingsChanged(id, settings.enabled());
        audit.record(
                Action.RECORDING_CHANGED,
                id,
                (settings.enabled() ? "on" : "off")
                        + (settings.retentionDays() == null ? "" : ", " + settings.retentionDays() + " days")
                        + (settings.retentionBytes() == null ? "" : ", " + settings.retentionBytes() + " bytes"));
        return settings;
    }
}
