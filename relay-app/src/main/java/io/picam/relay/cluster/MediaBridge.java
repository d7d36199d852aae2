package io.picam.relay.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.picam.relay.cluster.ControlMessage.PublisherStartedMessage;
import io.picam.relay.cluster.ControlMessage.SnapshotRequest;
import io.picam.relay.live.ClusterLink;
import io.picam.relay.live.HubRegistry;
import io.picam.relay.live.StreamHub;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Media between instances. The segments of a publisher connected here go to the channel {@code picam:media:<id>}
 * only while another instance has viewers of the stream (its {@link Presence} report says so, or it asked for a
 * snapshot lately), with a bound on bytes in flight: Redis being slow or away never holds up local delivery, it
 * only makes gaps the receivers see. An instance with viewers and no publisher of its own subscribes and feeds
 * its hub through a {@link RemoteFeed}, so that its own join-point cache and slow-viewer policy work as for a
 * local publisher. Without {@code REDIS_URL} every method returns at once.
 */
@ApplicationScoped
public class MediaBridge implements ClusterLink, RemoteFeed.Cluster {

    static final String MEDIA = "picam:media:";
    /** Bytes handed to Redis and not yet acknowledged before segments are dropped (a gap the receivers see). */
    private static final long MAX_IN_FLIGHT = 16L * 1024 * 1024;
    /** A snapshot request keeps a stream forwarded for this long, until the requester's report shows up. */
    private static final long INTEREST_MILLIS = 10_000;

    private final RedisLinks links;
    private final HubRegistry hubs;
    private final Vertx vertx;
    private final Presence presence;
    private final ThisInstance me;
    private final ControlChannel control;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final Map<String, RemoteFeed> feeds = new ConcurrentHashMap<>();
    private final Map<String, Long> interestUntil = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private Counter sentBytes;
    private Counter receivedBytes;
    private Counter dropped;
    private Counter resyncs;

    MediaBridge(
            RedisLinks links,
            HubRegistry hubs,
            Vertx vertx,
            Presence presence,
            ThisInstance me,
            ControlChannel control) {
        this.links = links;
        this.hubs = hubs;
        this.vertx = vertx;
        this.presence = presence;
        this.me = me;
        this.control = control;
    }

    /** Before the links start: the bridge's metrics. */
    void start(MeterRegistry metrics) {
        sentBytes = Counter.builder("picam.cluster.sent.bytes")
                .description("Media bytes published to Redis for other instances")
                .register(metrics);
        receivedBytes = Counter.builder("picam.cluster.received.bytes")
                .description("Media bytes received from other instances")
                .register(metrics);
        dropped = Counter.builder("picam.cluster.dropped.segments")
                .description("Segments not sent to other instances because Redis was away or too slow")
                .register(metrics);
        resyncs = Counter.builder("picam.cluster.resyncs")
                .description("Times a stream fed from another instance lost bytes and restarted at a join point")
                .register(metrics);
    }

    // ---- from this instance's hubs ----

    @Override
    public void publisherStarted(String streamId, long epoch) {
        control.send(new PublisherStartedMessage(streamId));
        vertx.runOnContext(v -> updateSubscription(streamId));
    }

    @Override
    public void forward(String streamId, long epoch, long seq, int flags, Buffer chunk) {
        if (links.started() && interested(streamId)) {
            publish(streamId, MediaMessage.segment(me.id(), epoch, seq, flags, chunk));
        }
    }

    @Override
    public void publisherEnded(String streamId, long epoch) {
        if (links.started()) {
            publish(streamId, MediaMessage.end(me.id(), epoch));
            vertx.runOnContext(v -> updateSubscription(streamId));
        }
    }

    @Override
    public void viewerJoined(StreamHub hub) {
        if (links.started() && !subscribed.contains(hub.streamId())) {
            vertx.runOnContext(v -> updateSubscription(hub.streamId()));
        }
    }

    @Override
    public boolean liveElsewhere(String streamId) {
        return presence.about(streamId).live();
    }

    @Override
    public int viewersElsewhere(String streamId) {
        return presence.about(streamId).viewers();
    }

    @Override
    public long bitrateElsewhere(String streamId) {
        return presence.about(streamId).bitrate();
    }

    private boolean interested(String streamId) {
        if (viewersElsewhere(streamId) > 0) {
            return true;
        }
        Long until = interestUntil.get(streamId);
        return until != null && until > System.currentTimeMillis();
    }

    private void publish(String streamId, Buffer message) {
        RedisConnection c = links.commands();
        if (c == null || inFlight.get() > MAX_IN_FLIGHT) {
            dropped.increment(); // the receivers see the gap in the numbers and restart at a join point
            return;
        }
        int length = message.length() + MessageSigner.TRAILER;
        inFlight.addAndGet(length);
        sentBytes.increment(length);
        links.publish(c, MEDIA + streamId, message).onComplete(done -> inFlight.addAndGet(-length));
    }

    // ---- from the other instances, through RedisCluster ----

    /** One checked message on {@code picam:media:<streamId>}. */
    void received(String streamId, Buffer message) {
        receivedBytes.increment(message.length());
        RemoteFeed feed = feeds.get(streamId);
        if (feed != null) {
            feed.receive(MediaMessage.parse(message));
        }
    }

    /** Another instance's publisher took the stream over: a feed or publisher here gives way. */
    void publisherElsewhere(String streamId) {
        hubs.find(streamId).ifPresent(StreamHub::publisherElsewhere);
    }

    /** Another instance has a viewer waiting for a picture: send the stream as it stands, and keep forwarding. */
    void snapshotRequested(String streamId) {
        interestUntil.put(streamId, System.currentTimeMillis() + INTEREST_MILLIS);
        hubs.find(streamId).ifPresent(hub -> hub.snapshot(s -> publish(streamId, MediaMessage.snapshot(me.id(), s))));
    }

    /** The commands connection is (back) up: requests made while it was down went nowhere. */
    void commandsUp() {
        feeds.values().forEach(RemoteFeed::askIfWaiting);
    }

    /** (Re)subscribed: every stream channel again, and whatever came meanwhile is lost, so each feed starts over. */
    void subscriptionsUp(RedisConnection c) {
        for (String streamId : subscribed) {
            RemoteFeed feed = feeds.get(streamId);
            if (feed != null) {
                feed.lost();
            }
            subscribe(c, streamId);
        }
    }

    // ---- RemoteFeed.Cluster ----

    @Override
    public void requestSnapshot(String streamId) {
        control.send(new SnapshotRequest(streamId));
    }

    @Override
    public void resynced() {
        resyncs.increment();
    }

    // ---- subscriptions: streams with viewers here and no publisher here ----

    /** Every second: subscriptions that no longer fit, forgotten interest, silent feeds. */
    void tick(long now) {
        for (StreamHub hub : hubs.all()) {
            if (subscribed.contains(hub.streamId()) != wanted(Optional.of(hub))) {
                updateSubscription(hub.streamId());
            }
        }
        for (String streamId : subscribed) {
            if (hubs.find(streamId).isEmpty()) {
                updateSubscription(streamId);
            }
        }
        interestUntil.values().removeIf(until -> until < now);
        feeds.values().forEach(feed -> feed.checkSilence(now));
    }

    private static boolean wanted(Optional<StreamHub> hub) {
        return hub.isPresent() && hub.get().viewerCount() > 0 && !hub.get().publishedHere();
    }

    private void updateSubscription(String streamId) {
        if (!links.started()) {
            return; // one instance: nothing to subscribe to
        }
        Optional<StreamHub> hub = hubs.find(streamId);
        boolean wanted = wanted(hub);
        if (wanted && subscribed.add(streamId)) {
            feeds.put(streamId, new RemoteFeed(RemoteFeed.Hub.of(hub.get()), me.id(), this, System::currentTimeMillis));
            RedisConnection c = links.subscriptions();
            if (c != null) {
                subscribe(c, streamId);
            }
        } else if (!wanted && subscribed.remove(streamId)) {
            RemoteFeed feed = feeds.remove(streamId);
            if (feed != null) {
                feed.stop();
            }
            RedisConnection c = links.subscriptions();
            if (c != null) {
                c.send(Request.cmd(Command.UNSUBSCRIBE).arg(MEDIA + streamId));
            }
        }
    }

    private void subscribe(RedisConnection c, String streamId) {
        c.send(Request.cmd(Command.SUBSCRIBE).arg(MEDIA + streamId)).onSuccess(ok -> requestSnapshot(streamId));
    }
}
