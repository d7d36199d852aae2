package io.picam.relay.api;

import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.share.ShareLinks.LinkView;
import io.picam.relay.share.ViewerLinks;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Revoking one of your share links (admins: anyone's); made and listed per stream by {@link StreamLinksResource}. */
@Path("/api/links")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "share links", description = "Links to watch one stream without an account")
public class LinksResource {

    private final ViewerLinks links;
    private final SecurityIdentity identity;
    private final AdminAudit audit;

    public LinksResource(ViewerLinks links, SecurityIdentity identity, AdminAudit audit) {
        this.links = links;
        this.identity = identity;
        this.audit = audit;
    }

    @DELETE
    @Path("{id}")
    @Operation(
            summary = "Revoke one of your share links: it stops working at once and its sockets close everywhere "
                    + "(404 for someone else's)")
    public Response revoke(@PathParam("id") long id) {
        LinkView revoked = links.revoke(ViewerLinks.Caller.of(identity), id);
        audit.record(Action.SHARE_LINK_REVOKED, "share link " + id, revoked.label() + ", stream " + revoked.streamId());
        return Response.noContent().build();
    }
}
