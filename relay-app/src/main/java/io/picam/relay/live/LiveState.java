package io.picam.relay.live;

import io.picam.relay.api.StreamView;
import io.picam.relay.stream.StreamAccess.StreamRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** What is live right now, for the API and the pages. */
@ApplicationScoped
public class LiveState {

    private final HubRegistry hubs;
    private final ClusterLink cluster;

    public LiveState(HubRegistry hubs, ClusterLink cluster) {
        this.hubs = hubs;
        this.cluster = cluster;
    }

    /** Live and viewers across every relay instance (one, without Redis). */
    public StreamView view(StreamRef stream) {
        String id = stream.id();
        Optional<StreamHub> hub = hubs.find(id);
        boolean liveHere = hub.map(StreamHub::live).orElse(false);
        boolean live = liveHere || cluster.liveElsewhere(id);
        int viewers = hub.map(StreamHub::viewerCount).orElse(0) + cluster.viewersElsewhere(id);
        long bitrate = liveHere ? hubs.bitrate(id) : live ? cluster.bitrateElsewhere(id) : 0;
        return new StreamView(id, stream.name(), stream.format(), live, viewers, bitrate);
    }
}
