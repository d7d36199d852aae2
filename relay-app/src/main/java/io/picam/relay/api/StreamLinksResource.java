package io.picam.relay.api;

import io.picam.relay.api.JsonErrorMapper.ApiException;
import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.live.HubRegistry;
import io.picam.relay.share.ShareLinks.IssuedLink;
import io.picam.relay.share.ViewerLinks;
import io.picam.relay.stream.StreamAccess;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
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
 * Share links of a stream for whoever may watch it: a viewer makes and lists their own when an admin lets the stream's
 * viewers share (admins always may, and list everyone's). Revoking one is {@link LinksResource}.
 */
@Path("/api/streams/{id}/links")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "share links", description = "Links to watch one stream without an account")
public class StreamLinksResource {

    private final ViewerLinks links;
    private final StreamAccess access;
    private final HubRegistry hubs;
    private final SecurityIdentity identity;
    private final AdminAudit audit;

    public StreamLinksResource(
            ViewerLinks links, StreamAccess access, HubRegistry hubs, SecurityIdentity identity, AdminAudit audit) {
        this.links = links;
        this.access = access;
        this.hubs = hubs;
        this.identity = identity;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Make a share link of a stream you may watch, when its admins let viewers share; the answer "
                    + "holds its URL and token, shown only this once")
    public Response create(
            @PathParam("id") String streamId,
            @Valid @NotNull(message = "a JSON body is required") NewShareLink body,
            @Context UriInfo uri) {
        watchable(streamId);
        IssuedLink issued = links.create(ViewerLinks.Caller.of(identity), streamId, body.request());
        audit.record(Action.SHARE_LINK_CREATED, "share link " + issued.id(), body.describe(streamId));
        return CreatedShareLink.created(issued, uri);
    }

    @GET
    @Operation(summary = "Your share links of the stream (an admin's: everyone's), newest first, never their tokens")
    public List<ListedShareLink> list(@PathParam("id") String streamId) {
        watchable(streamId);
        return ListedShareLink.of(links.list(ViewerLinks.Caller.of(identity), streamId), hubs.shareViewers(streamId));
    }

    /** 404 and 403 as the stream's other endpoints answer them. */
    private void watchable(String streamId) {
        switch (access.mayWatch(identity, streamId)) {
            case ALLOWED -> {}
            case UNKNOWN -> throw ApiException.notFound("no stream " + streamId);
            case FORBIDDEN -> throw new ApiException(403, "Forbidden", "you may not watch stream " + streamId);
        }
    }
}
