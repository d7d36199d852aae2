package io.picam.relay.api;

import io.picam.relay.alerts.CameraPresence;
import io.picam.relay.live.LiveState;
import io.picam.relay.stream.StreamAccess;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code GET /api/streams}: the streams the caller may watch, with their live state. */
@Path("/api/streams")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class StreamsResource {

    private final StreamAccess access;
    private final LiveState live;
    private final SecurityIdentity identity;
    private final CameraPresence presence;

    public StreamsResource(StreamAccess access, LiveState live, SecurityIdentity identity, CameraPresence presence) {
        this.access = access;
        this.live = live;
        this.identity = identity;
        this.presence = presence;
    }

    @GET
    public List<StreamView> list() {
        Map<String, Instant> seen = presence.lastSeen();
        return access.visibleTo(identity).stream()
                .map(s -> {
                    StreamView view = live.view(s);
                    return view.seenAt(view.live() ? Instant.now() : seen.get(s.id()));
                })
                .toList();
    }
}
