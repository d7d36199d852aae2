package io.picam.relay.admin;

import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.share.ShareLinks;
import io.picam.relay.share.ShareLinks.LinkView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Any share link, for admins, to revoke (listed per stream by {@link AdminShareLinksResource}). */
@Path("/api/admin/links")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "share links", description = "Links to watch one stream without an account")
public class AdminLinksResource {

    private final ShareLinks links;
    private final AdminAudit audit;

    public AdminLinksResource(ShareLinks links, AdminAudit audit) {
        this.links = links;
        this.audit = audit;
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a share link: it stops working at once and the sockets it opened close everywhere")
    public Response revoke(@PathParam("id") long id) {
        LinkView revoked = links.revoke(id);
        audit.record(Action.SHARE_LINK_REVOKED, "share link " + id, revoked.label() + ", stream " + revoked.streamId());
        return Response.noContent().build();
    }
}
