package io.picam.relay.admin;

import io.picam.relay.api.CreatedShareLink;
import io.picam.relay.api.ListedShareLink;
import io.picam.relay.api.NewShareLink;
import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.live.HubRegistry;
import io.picam.relay.share.ShareLinks;
import io.picam.relay.share.ShareLinks.IssuedLink;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Share links of a stream, for admins: make one (its token and URL shown once), list them with their use. Revoking
 * one is {@link AdminLinksResource}. Viewers a stream lets share have {@code /api/streams/{id}/links}.
 */
@Path("/api/admin/streams/{id}/links")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "share links", description = "Links to watch one stream without an account")
public class AdminShareLinksResource {

    private final ShareLinks links;
    private final HubRegistry hubs;
    private final AdminAudit audit;

    public AdminShareLinksResource(ShareLinks links, HubRegistry hubs, AdminAudit audit) {
        this.links = links;
        this.hubs = hubs;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a share link of the stream; the answer holds its URL and token, shown only this once")
    public Response create(
            @PathParam("id") String streamId,
            @Valid @NotNull(message = "a JSON body is required") NewShareLink body,
            @Context UriInfo uri) {
        IssuedLink issued = links.create(streamId, body.request(), audit.actor(), false);
        audit.record(Action.SHARE_LINK_CREATED, "share link " + issued.id(), body.describe(streamId));
        return CreatedShareLink.created(issued, uri);
    }

    @GET
    @Operation(summary = "The stream's share links (never their tokens), newest first, with their use")
    public List<ListedShareLink> list(@PathParam("id") String streamId) {
        return ListedShareLink.of(links.list(streamId), hubs.shareViewers(streamId));
    }
}
