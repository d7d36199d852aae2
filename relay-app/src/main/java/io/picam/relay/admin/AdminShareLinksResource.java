package io.picam.relay.admin;

import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.live.HubRegistry;
import io.picam.relay.share.ShareLinks;
import io.picam.relay.share.ShareLinks.IssuedLink;
import io.picam.relay.share.ShareLinks.LinkView;
import io.picam.relay.share.ShareLinks.NewLink;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Share links of a stream, for admins: make one (its token and URL shown once), list them with their use. Revoking
 * one is {@link AdminLinksResource}.
 */
@Path("/api/admin/streams/{id}/links")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "share links", description = "Links to watch one stream without an account (admin only)")
public class AdminShareLinksResource {

    /** Body of {@code POST /api/admin/streams/{id}/links}. */
    public record NewShareLink(
            @NotBlank(message = "label is required")
            @Size(max = 100, message = "label is at most 100 characters")
            @Pattern(regexp = "[^\\p{Cntrl}]*", message = "label must not contain control characters")
            String label,

            @NotNull(message = "expiresInHours is required: 1 to 720 (30 days)")
            @Min(value = 1, message = "expiresInHours is 1 to 720 (30 days)")
            @Max(value = 720, message = "expiresInHours is 1 to 720 (30 days)")
            Integer expiresInHours,

            @Pattern(regexp = "[0-9]{4,12}", message = "pin is 4 to 12 digits")
            String pin,

            @Min(value = 1, message = "maxViewers is 1 to 1000") @Max(value = 1000, message = "maxViewers is 1 to 1000")
            Integer maxViewers,

            Boolean recordings) {}

    /** Answer to a creation: the only time the token is shown. */
    public record CreatedShareLink(long id, String url, String token, Instant expiresAt) {}

    /** A link in the list: its settings and use ({@code viewersNow}: its sockets on the instance that answers). */
    public record ListedShareLink(
            long id,
            String label,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            boolean pin,
            Integer maxViewers,
            boolean recordings,
            Instant revokedAt,
            Instant lastUsedAt,
            boolean active,
            int viewersNow) {}

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
        NewLink request = new NewLink(
                body.label(),
                body.expiresInHours(),
                body.pin(),
                body.maxViewers(),
                Boolean.TRUE.equals(body.recordings()));
        IssuedLink issued = links.create(streamId, request, audit.actor());
        audit.record(
                Action.SHARE_LINK_CREATED,
                "share link " + issued.id(),
                request.label().strip() + ", stream " + streamId + ", " + body.expiresInHours() + " h"
                        + (body.pin() != null ? ", PIN" : "")
                        + (body.maxViewers() != null ? ", at most " + body.maxViewers() + " viewers" : "")
                        + (request.recordings() ? ", recordings" : ""));
        // absolute, from the request as the relay sees it (X-Forwarded-* only where the proxy settings trust them)
        URI url = uri.getBaseUriBuilder().path("s").path(issued.token()).build();
        return Response.created(url)
                .entity(new CreatedShareLink(issued.id(), url.toString(), issued.token(), issued.expiresAt()))
                .build();
    }

    @GET
    @Operation(summary = "The stream's share links (never their tokens), newest first, with their use")
    public List<ListedShareLink> list(@PathParam("id") String streamId) {
        Map<Long, Integer> viewers = hubs.shareViewers(streamId);
        Instant now = Instant.now();
        return links.list(streamId).stream()
                .map(l -> listed(l, now, viewers.getOrDefault(l.id(), 0)))
                .toList();
    }

    private static ListedShareLink listed(LinkView l, Instant now, int viewersNow) {
        return new ListedShareLink(
                l.id(),
                l.label(),
                l.createdBy(),
                l.createdAt(),
                l.expiresAt(),
                l.pin(),
                l.maxViewers(),
                l.recordings(),
                l.revokedAt(),
                l.lastUsedAt(),
                l.revokedAt() == null && now.isBefore(l.expiresAt()),
                viewersNow);
    }
}
