package io.picam.relay.live;

import io.vertx.core.buffer.Buffer;

/** A relay on its own: nothing to tell anyone. */
final class NoCluster implements ClusterLink {

    static final NoCluster INSTANCE = new NoCluster();

    private NoCluster() {}

    @Override
    public void publisherStarted(String streamId, long epoch) {}

    @Override
    public void forward(String streamId, long epoch, long seq, int flags, Buffer chunk) {}

    @Override
    public void publisherEnded(String streamId, long epoch) {}

    @Override
    public void viewerJoined(StreamHub hub) {}

    @Override
    public boolean liveElsewhere(String streamId) {
        return false;
    }

    @Override
    public int viewersElsewhere(String streamId) {
        return 0;
    }

    @Override
    public long bitrateElsewhere(String streamId) {
        return 0;
    }
}
