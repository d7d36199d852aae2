package io.picam.relay.live;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * How this relay's hubs reach the other relay instances behind the same URL (scale-out through Redis): media and
 * who publishes or watches where. Changes of rights travel as domain events instead (see HubRegistry). On a
 * single relay every call does nothing. The hub calls the first three under its lock: they never block.
 */
public interface ClusterLink {

    /** Segment flags, as they travel between instances. */
    int JOIN_POINT = 1;

    int INIT = 2;

    /** A publisher connected to this instance took over the stream; one elsewhere is replaced. */
    void publisherStarted(String streamId, long epoch);

    /** One segment from this instance's publisher, for instances with viewers of the stream. */
    void forward(String streamId, long epoch, long seq, int flags, Buffer chunk);

    /** This instance's publisher of the stream is gone. */
    void publisherEnded(String streamId, long epoch);

    /** A viewer joined a hub here: make sure the stream's media reaches this instance. */
    void viewerJoined(StreamHub hub);

    /** True when another instance has a publisher of the stream. */
    boolean liveElsewhere(String streamId);

    /** Viewers of the stream on other instances. */
    int viewersElsewhere(String streamId);

    /** Incoming bits per second of the stream at the instance that has its publisher. */
    long bitrateElsewhere(String streamId);

    /** What a hub hands over so that another instance's first viewer gets a picture at once. */
    record Snapshot(long epoch, long lastSeq, Buffer init, List<Buffer> chunks) {}
}
