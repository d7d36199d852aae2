package io.picam.relay.live;

import io.picam.media.MediaSegment;
import io.picam.relay.stream.StreamFormat;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live side of one stream: at most one publisher, any number of viewers, and the bytes since the
 * latest join point. Every viewer gets the publisher's bytes in order, each through its own bounded
 * {@link Viewer}. One lock orders publish, join and publisher changes; nothing under it blocks. Delivery
 * to viewers goes through {@link ViewerGroups}, one task per event loop.
 *
 * <p>With several relay instances, the publisher may be connected to another one: a remote feed (a
 * {@link PublisherHandle} that says {@link PublisherHandle#remote()}) then stands in for it here, and the
 * segments of a publisher connected here also go to the {@link ClusterLink}, numbered within an epoch (one
 * publisher connection) so that the receiving instances notice what they missed.
 */
public final class StreamHub {

    private final String streamId;
    private final StreamFormat format;
    private final JoinPointCache cache;
    private final ClusterLink link;
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    private final ViewerGroups groups = new ViewerGroups(); // guarded by this
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong skippedByDeparted = new AtomicLong();
    private final AtomicLong sentByDeparted = new AtomicLong();
    private final AtomicLong publisherConnects = new AtomicLong();
    private final AtomicLong viewerJoins = new AtomicLong();
    private PublisherHandle publisher; // guarded by this
    private MediaFrame init; // fmp4: the current publisher's init segment; guarded by this
    private String mime; // fmp4: its MIME type with codecs; guarded by this
    private long epoch; // the connection of the publisher here, for other instances; guarded by this
    private long seq; // segments of that publisher so far; guarded by this
    private int announced; // the audience every viewer was last told; guarded by this
    private volatile boolean live;

    StreamHub(String streamId, StreamFormat format, long joinCacheLimit) {
        this(streamId, format, joinCacheLimit, NoCluster.INSTANCE);
    }

    StreamHub(String streamId, StreamFormat format, long joinCacheLimit, ClusterLink link) {
        this.streamId = streamId;
        this.format = format;
        this.cache = new JoinPointCache(joinCacheLimit);
        this.link = link;
    }

    /** A new authenticated publisher takes over; the previous one, if any, is told to stop. */
    public synchronized void attach(PublisherHandle newPublisher) {
        PublisherHandle previous = publisher;
        publisher = newPublisher;
        if (!newPublisher.remote()) {
            publisherConnects.incrementAndGet();
            epoch = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
            seq = 0;
            link.publisherStarted(streamId, epoch);
        }
        cache.clear();
        init = null;
        mime = null;
        groups.forEach(Viewer::awaitJoinPoint);
        if (previous != null && previous != newPublisher) {
            previous.replaced();
        }
        if (!live) {
            live = true;
            broadcastStatus(true);
        }
    }

    /**
     * A remote feed takes over, unless a publisher connected to this instance has the stream: that one is the
     * newest (the other instance hears of it and stops its own). False when refused.
     */
    public synchronized boolean attachRemote(PublisherHandle feed) {
        if (publishedHere()) {
            return false;
        }
        attach(feed);
        return true;
    }

    /** A publisher connected to another instance took over: the one here, if any, is replaced (409). */
    public synchronized void publisherElsewhere() {
        if (publishedHere()) {
            PublisherHandle current = publisher;
            detach(current);
            current.replaced();
        }
    }

    /**
     * Bytes were lost on the way from another instance: what the viewers have and what comes next do not join
     * up, so each waits for the next join point (or a snapshot) again.
     */
    public synchronized void resync() {
        cache.clear();
        groups.forEach(Viewer::awaitJoinPoint);
    }

    /**
     * The init segment and the bytes since the latest join point of the publisher connected here, for another
     * instance's first viewer; false when there is none. {@code send} runs under the hub's lock, so that what it
     * sends goes out before any later segment.
     */
    public synchronized boolean snapshot(Consumer<ClusterLink.Snapshot> send) {
        if (!publishedHere()) {
            return false;
        }
        List<Buffer> chunks = new ArrayList<>();
        cache.replay(chunk -> chunks.add(chunk.payload()));
        send.accept(new ClusterLink.Snapshot(epoch, seq, init == null ? null : init.payload(), chunks));
        return true;
    }

    /** The bytes from the latest join point on (with the init segment), for a still picture; empty before one. */
    public synchronized Optional<JoinPointBytes> latestJoinPoint() {
        List<Buffer> chunks = new ArrayList<>();
        cache.replay(chunk -> chunks.add(chunk.payload()));
        return chunks.isEmpty()
                ? Optional.empty()
                : Optional.of(new JoinPointBytes(init == null ? null : init.payload(), List.copyOf(chunks)));
    }

    /** True when the publisher is connected to this instance (not fed from another one). */
    public synchronized boolean publishedHere() {
        return publisher != null && !publisher.remote();
    }

    /** The publisher went away (ended, failed, or timed out); ignored when it was already replaced. */
    public synchronized void detach(PublisherHandle gone) {
        if (publisher != gone) {
            return;
        }
        publisher = null;
        live = false;
        cache.clear();
        init = null;
        mime = null;
        if (!gone.remote()) {
            link.publisherEnded(streamId, epoch);
        }
        broadcastStatus(false);
    }

    /** Ends the current publisher's upload, if any (its secret was rotated, or the stream deleted). */
    public synchronized void disconnectPublisher(int status, String reason) {
        PublisherHandle current = publisher;
        if (current != null) {
            detach(current);
            current.disconnect(status, reason);
        }
    }

    /** Forwards a segment to every viewer; false when this publisher is no longer the current one. */
    public synchronized boolean publish(PublisherHandle from, MediaSegment segment) {
        if (publisher != from) {
            return false;
        }
        MediaFrame chunk = MediaFrame.binary(segment.data()); // the one encoding, shared by every viewer
        bytesIn.addAndGet(chunk.length());
        boolean joinPoint = segment.isJoinPoint();
        if (!from.remote()) {
            int flags = segment.kind() == MediaSegment.Kind.INIT
                    ? ClusterLink.INIT
                    : joinPoint ? ClusterLink.JOIN_POINT : 0;
            link.forward(streamId, epoch, ++seq, flags, chunk.payload());
        }
        if (segment.kind() == MediaSegment.Kind.INIT) {
            // the decoder configuration (new publisher, or its encoder restarted): fragments wait for it
            init = chunk;
            mime = format.mimeType(segment.data());
            cache.clear();
            String announcement = LiveMessages.hello(format.id(), mime, true, audience());
            groups.forEach(v -> v.offerInit(announcement, chunk));
            return true;
        }
        cache.add(chunk, joinPoint);
        groups.forEach(viewer -> viewer.offer(chunk, joinPoint));
        return true;
    }

    /**
     * A viewer arrives: the hello, then the cached bytes from the latest join point, then live bytes. Called
     * on the viewer's own event loop, so the replay is written before any later delivery to it.
     */
    public synchronized void join(Viewer viewer) {
        viewers.put(viewer.id(), viewer);
        groups.add(viewer);
        viewerJoins.incrementAndGet();
        int audience = audience();
        viewer.sendText(LiveMessages.hello(format.id(), mime, live || link.liveElsewhere(streamId), audience));
        if (viewers.size() == 1) {
            announced = audience; // the only viewer knows it now
        }
        if (init != null) {
            viewer.offerInit(null, init);
        }
        boolean[] first = {true};
        cache.replay(chunk -> {
            viewer.offer(chunk, first[0]);
            first[0] = false;
        });
        viewer.flush();
    }

    /**
     * Every viewer takes note of what its socket wrote since it last looked (see {@link Viewer#settle}): one task per
     * event loop, from the housekeeping every second, so that viewers of a stream that went quiet are up to date too.
     */
    synchronized void settleViewers() {
        groups.forEach(Viewer::settle);
    }

    public synchronized void leave(String viewerId) {
        Viewer gone = viewers.remove(viewerId);
        if (gone != null) {
            groups.remove(gone);
            skippedByDeparted.addAndGet(gone.skippedSegments());
            sentByDeparted.addAndGet(gone.sentBytes());
        }
    }

    public String streamId() {
        return streamId;
    }

    public StreamFormat format() {
        return format;
    }

    public boolean live() {
        return live;
    }

    /** Viewers connected to this instance. */
    public int viewerCount() {
        return viewers.size();
    }

    /**
     * Tells every viewer how many are watching, when that changed since they were last told (called once a
     * second, so a crowd arriving costs one message each, not one per arrival).
     */
    public synchronized void announceAudience() {
        int audience = audience();
        if (viewers.isEmpty() || audience == announced) {
            return;
        }
        announced = audience;
        // this hub's own state: with viewers here it is fed from wherever the camera is, and a report from
        // another instance may be a second old
        broadcast(LiveMessages.status(live, audience));
    }

    /** Viewers of the stream on every instance, as the viewers are told. */
    private int audience() {
        return viewers.size() + link.viewersElsewhere(streamId);
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    /** Segments that viewers of this stream skipped because they could not keep up, since the relay started. */
    public long skippedSegments() {
        return skippedByDeparted.get()
                + viewers.values().stream().mapToLong(Viewer::skippedSegments).sum();
    }

    /** Bytes handed to viewers' sockets, since the relay started. */
    public long bytesOut() {
        return sentByDeparted.get()
                + viewers.values().stream().mapToLong(Viewer::sentBytes).sum();
    }

    /** Publishers that took over this stream (first connections and reconnections), since the relay started. */
    public long publisherConnects() {
        return publisherConnects.get();
    }

    public long viewerJoins() {
        return viewerJoins.get();
    }

    public Collection<Viewer> viewers() {
        return viewers.values();
    }

    synchronized long cachedBytes() {
        return cache.bytes();
    }

    private void broadcast(String json) {
        groups.forEach(v -> v.sendText(json));
    }

    private void broadcastStatus(boolean live) {
        announced = audience();
        broadcast(LiveMessages.status(live, announced));
    }
}
