package io.picam.relay.admin;

import io.picam.relay.audit.AuditLog;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/admin/audit}: the newest audit entries, for the admin page. */
@Path("/api/admin/audit")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "Logins and every admin change (admin only)")
public class AuditResource {

    public record AuditLine(Instant at, String actor, String action, String target, String detail, String address) {}

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    @Operation(summary = "The newest entries first")
    public List<AuditLine> newest(
            @QueryParam("limit")
                    @DefaultValue("100")
                    @Min(value = 1, message = "limit is 1 to 1000")
                    @Max(value = 1000, message = "limit is 1 to 1000")
                    int limit) {
        return log.newest(limit).stream()
                .map(e -> new AuditLine(e.at, e.actor, e.action, e.target, e.detail, e.address))
                .toList();
    }
}
