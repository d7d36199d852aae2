package io.picam.relay.live;

import jakarta.enterprise.context.ApplicationScoped;

import io.picam.relay.api.StreamView;
import io.picam.relay.stream.StreamAccess.StreamRef;

/** What is live right now, for the API and the pages. */
@ApplicationScoped
public class LiveState {

    private final HubRegistry hubs;

    public LiveState(HubRegistry hubs) {
        this.hubs = hubs;
    }

    public StreamView view(StreamRef stream) {
        return hubs.find(stream.id())
                .map(hub -> new StreamView(stream.id(), stream.name(), stream.format(), hub.live(), hub.viewerCount(),
                        hub.live() ? hubs.bitrate(stream.id()) : 0))
                .orElseGet(() -> new StreamView(stream.id(), stream.name(), stream.format(), false, 0, 0));
    }
}
