package io.picam.relay.cluster;

import static io.picam.relay.live.ClusterLink.INIT;
import static io.picam.relay.live.ClusterLink.JOIN_POINT;

import io.picam.media.MediaSegment;
import io.picam.relay.live.PublisherHandle;
import io.picam.relay.live.StreamHub;
import io.vertx.core.buffer.Buffer;
import java.util.function.LongSupplier;

/**
 * The stand-in, on this instance, for a publisher connected to another one: it feeds the stream's hub from the
 * stream's media channel. Sequence numbers reveal what Redis lost (a restart, a dropped connection): the hub then
 * waits for the next join point, and the feed asks the publisher's instance for a snapshot (the init segment and
 * the bytes since the latest join point), at most once a second, so the viewers get a picture again at once.
 * Runs on the subscriptions connection's event loop; the hub may call {@link #replaced} and {@link #disconnect}
 * from others.
 */
final class RemoteFeed implements PublisherHandle {

    /** A feed that hears nothing for this long, while no instance reports a publisher, goes offline. */
    static final long SILENCE_MILLIS = 10_000;
    /** Snapshot requests of one feed are at least this far apart. */
    static final long REQUEST_EVERY_MILLIS = 1_000;

    /** What a feed needs of the stream's hub (a {@link StreamHub}, a fake in tests). */
    interface Hub {
        String streamId();

        /** False when a publisher connected to this instance has the stream. */
        boolean attachRemote(PublisherHandle feed);

        void detach(PublisherHandle feed);

        void publish(PublisherHandle feed, MediaSegment segment);

        /** Bytes were lost: viewers wait for the next join point. */
        void resync();

        static Hub of(StreamHub hub) {
            return new Hub() {
                @Override
                public String streamId() {
                    return hub.streamId();
                }

                @Override
                public boolean attachRemote(PublisherHandle feed) {
                    return hub.attachRemote(feed);
                }

                @Override
                public void detach(PublisherHandle feed) {
                    hub.detach(feed);
                }

                @Override
                public void publish(PublisherHandle feed, MediaSegment segment) {
                    hub.publish(feed, segment);
                }

                @Override
                public void resync() {
                    hub.resync();
                }
            };
        }
    }

    /** What a feed needs of the cluster. */
    interface Cluster {
        /** Ask the publisher's instance for a snapshot of the stream. */
        void requestSnapshot(String streamId);

        /** Whether some instance reports a publisher of the stream. */
        boolean liveElsewhere(String streamId);

        /** Bytes were lost (for the metric). */
        void resynced();
    }

    private final Hub hub;
    private final long ownInstance;
    private final Cluster cluster;
    private final LongSupplier clock;
    // written without this feed's lock by the hub (under its own lock): taking this lock there could deadlock
    private volatile boolean attached;
    private long epoch;
    private long lastSeq = -1;
    private boolean base; // a join point or snapshot arrived since the last loss: the viewers can decode
    private long lastMessageMillis;
    private long lastRequestMillis = Long.MIN_VALUE / 2;
    private Buffer init; // the latest init segment of this epoch: a snapshot's copy of it is not sent again

    /** {@code ownInstance}'s own messages (its publisher's, coming back) are ignored. */
    RemoteFeed(Hub hub, long ownInstance, Cluster cluster, LongSupplier clock) {
        this.hub = hub;
        this.ownInstance = ownInstance;
        this.cluster = cluster;
        this.clock = clock;
        this.lastMessageMillis = clock.getAsLong();
    }

    synchronized void receive(MediaMessage m) {
        if (m.origin() == ownInstance) {
            return;
        }
        lastMessageMillis = clock.getAsLong();
        if (m.kind() == MediaMessage.END) {
            if (attached && m.epoch() == epoch) {
                attached = false;
                hub.detach(this);
            }
            return;
        }
        if (!attached || m.epoch() != epoch) {
            if (!hub.attachRemote(this)) {
                return; // a publisher connected here has the stream
            }
            attached = true;
            epoch = m.epoch();
            lastSeq = -1;
            base = false;
            init = null;
        }
        if (m.kind() == MediaMessage.SNAPSHOT) {
            receiveSnapshot(m);
            return;
        }
        if (lastSeq >= 0 && m.seq() <= lastSeq) {
            return; // already in a snapshot
        }
        if (lastSeq >= 0 && m.seq() != lastSeq + 1) {
            cluster.resynced();
            hub.resync();
            base = false;
        }
        lastSeq = m.seq();
        if ((m.flags() & INIT) != 0) {
            init = m.payload().copy();
        }
        if ((m.flags() & (INIT | JOIN_POINT)) != 0) {
            base = true;
        } else if (!base) {
            askForSnapshot();
        }
        hub.publish(this, segment(m.flags(), m.payload()));
    }

    /** Only while the viewers wait for a base, and only if it is not older than what came already. */
    private void receiveSnapshot(MediaMessage m) {
        if (base || m.seq() < lastSeq) {
            return;
        }
        for (MediaMessage.Part part : m.parts()) {
            if ((part.flags() & INIT) != 0) {
                if (part.bytes().equals(init)) {
                    continue; // the viewers' decoders already have it
                }
                init = part.bytes().copy();
            }
            hub.publish(this, segment(part.flags(), part.bytes()));
        }
        lastSeq = m.seq();
        base = true;
    }

    private void askForSnapshot() {
        long now = clock.getAsLong();
        if (now - lastRequestMillis > REQUEST_EVERY_MILLIS) {
            lastRequestMillis = now;
            cluster.requestSnapshot(hub.streamId());
        }
    }

    /** The commands connection is back: a request made while it was down went nowhere. */
    synchronized void askIfWaiting() {
        if (attached && !base) {
            lastRequestMillis = Long.MIN_VALUE / 2;
            askForSnapshot();
        }
    }

    /** The subscription was lost and renewed: whatever came meanwhile is gone. */
    synchronized void lost() {
        if (attached) {
            hub.resync();
            base = false;
            lastSeq = -1;
        }
    }

    /** Goes offline after {@link #SILENCE_MILLIS} without a message, unless an instance still reports a publisher. */
    synchronized void checkSilence(long now) {
        if (attached && now - lastMessageMillis > SILENCE_MILLIS && !cluster.liveElsewhere(hub.streamId())) {
            attached = false;
            hub.detach(this);
        }
    }

    synchronized void stop() {
        if (attached) {
            attached = false;
            hub.detach(this);
        }
    }

    /** A publisher connected here took over. Called under the hub's lock. */
    @Override
    public void replaced() {
        attached = false;
    }

    /**
     * Access withdrawn (rotation, deletion): the hub has detached this feed already, under its lock; the
     * instance with the real publisher ends that one.
     */
    @Override
    public void disconnect(int status, String reason) {
        attached = false;
    }

    @Override
    public boolean remote() {
        return true;
    }

    private static MediaSegment segment(int flags, Buffer bytes) {
        MediaSegment.Kind kind = (flags & INIT) != 0
                ? MediaSegment.Kind.INIT
                : (flags & JOIN_POINT) != 0 ? MediaSegment.Kind.JOIN : MediaSegment.Kind.CONTINUATION;
        return new MediaSegment(kind, bytes.getBytes());
    }
}
