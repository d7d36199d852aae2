package io.picam.relay.live;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.internal.PlatformDependent;
import io.picam.relay.account.AccessChanged;
import io.picam.relay.account.CredentialsEnded;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.share.ShareLinkEnded;
import io.picam.relay.stream.SecretRotated;
import io.picam.relay.stream.StreamAccess;
import io.picam.relay.stream.StreamAccess.StreamRef;
import io.picam.relay.stream.StreamDeleted;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * All hubs of this relay, by stream id, and the housekeeping that runs over them every second. Changes of rights
 * (rotated secrets, deleted streams, changed access, ended credentials) reach it as events after their commit,
 * whichever instance made them: the cluster fires them again here with {@code remote} set.
 */
@ApplicationScoped
public class HubRegistry {

    private static final Logger LOG = Logger.getLogger(HubRegistry.class);
    /** 1001 "going away": clients reconnect at once (e.g. Heroku's daily restart). */
    private static final CloseReason SHUTDOWN = new CloseReason(1001, "relay restarting");

    private static final CloseReason STALLED = new CloseReason(1008, "viewer stalled");
    private static final CloseReason ACCESS_REVOKED = new CloseReason(1008, "access revoked");
    private static final CloseReason STREAM_DELETED = new CloseReason(1008, "stream deleted");
    private static final CloseReason SESSION_ENDED = new CloseReason(1008, "session ended");
    private static final CloseReason LINK_ENDED = new CloseReason(1008, "share link ended");
    private static final CloseReason TOO_SLOW = new CloseReason(1008, "viewer too slow");

    /** Told to publishers and viewers when the relay shuts down. */
    public static final String RESTARTING = "relay restarting; reconnect";

    private final Map<String, StreamHub> hubs = new ConcurrentHashMap<>();
    private final Map<String, BitrateMeter> bitrates = new ConcurrentHashMap<>();
    private final RelayConfig config;
    private final Vertx vertx;
    private final HubMetrics metrics;
    private final ClusterLink link;
    private final ViewerLimits limits;
    private final HeldBytesBudget budget;
    private long timerId = -1;
    private volatile boolean draining;

    public HubRegistry(
            RelayConfig config, Vertx vertx, MeterRegistry meterRegistry, ClusterLink link, ViewerLimits limits) {
        this.config = config;
        this.vertx = vertx;
        this.link = link;
        this.limits = limits;
        this.budget = new HeldBytesBudget(config.viewer().heldBudget().asLongValue());
        this.metrics = new HubMetrics(meterRegistry, hubs::values);
        metrics.watch(limits, budget);
        long maxDirect = PlatformDependent.maxDirectMemory();
        if (budget.limit() > maxDirect / 2) {
            LOG.warnf(
                    "picam.viewer.held-budget (%d bytes) is more than half the JVM's direct memory (%d bytes): "
                            + "lower it, or raise -XX:MaxDirectMemorySize",
                    budget.limit(), maxDirect);
        }
    }

    @PostConstruct
    void startHousekeeping() {
        timerId = vertx.setPeriodic(1000, id -> housekeeping());
    }

    @PreDestroy
    void stopHousekeeping() {
        vertx.cancelTimer(timerId);
    }

    public StreamHub hubFor(StreamRef stream) {
        return hubs.computeIfAbsent(stream.id(), id -> {
            StreamHub hub = new StreamHub(
                    id, stream.format(), config.hub().joinCacheLimit().asLongValue(), link);
            metrics.add(hub);
            return hub;
        });
    }

    public Optional<StreamHub> find(String streamId) {
        return Optional.ofNullable(hubs.get(streamId));
    }

    public Collection<StreamHub> all() {
        return hubs.values();
    }

    /** A viewer's WebSocket opened (on its own event loop) in the place {@code slot}: it joins the stream's hub. */
    void join(StreamRef stream, WebSocketConnection connection, ViewerSlot slot) {
        StreamHub hub = hubFor(stream);
        MediaFrameWriter media = MediaFrameWriter.of(slot.connection());
        hub.join(new Viewer(connection, media, config.viewer().queueLimit().asLongValue(), budget, slot));
        link.viewerJoined(hub);
    }

    /** Bytes held for all viewers (handed to their sockets, not yet written), against picam.viewer.held-budget. */
    public long heldBytes() {
        return budget.held();
    }

    /** The stream's secret changed: whoever publishes with the old one is cut off at once. */
    void secretRotated(@Observes(during = TransactionPhase.AFTER_SUCCESS) SecretRotated event) {
        find(event.streamId()).ifPresent(hub -> hub.disconnectPublisher(401, "the stream secret was rotated"));
    }

    /** The stream is gone: its publisher and viewers are disconnected and its hub forgotten. */
    void streamDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) StreamDeleted event) {
        StreamHub hub = hubs.remove(event.streamId());
        bitrates.remove(event.streamId());
        if (hub != null) {
            metrics.remove(event.streamId());
            hub.disconnectPublisher(404, "the stream was deleted");
            closeViewers(hub, v -> true, STREAM_DELETED);
        }
    }

    /**
     * A user's rights changed: their viewers of the streams they may no longer watch are closed (1008), so that a
     * revoked grant, a removed role or a deleted user stops watching now, not at the next reconnect. The rights
     * are read again (JDBC) on a worker: the event may come on an event loop (from the cluster), and a transaction
     * observer's thread still holds the finished transaction.
     */
    void accessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged event, StreamAccess access) {
        String username = event.username();
        vertx.executeBlocking(
                () -> {
                    closeViewersLosing(username, streamId -> access.mayWatch(username, streamId));
                    return null;
                },
                false);
    }

    /** Closes the user's viewers of every stream {@code stillAllowed} rejects. Blocking when the predicate is. */
    void closeViewersLosing(String username, Predicate<String> stillAllowed) {
        for (StreamHub hub : hubs.values()) {
            if (!stillAllowed.test(hub.streamId())) {
                closeViewers(hub, v -> username.equalsIgnoreCase(v.username()), ACCESS_REVOKED);
            }
        }
    }

    /**
     * Sessions or tokens ended (logout, revocation, a password reset): the sockets they opened here close (1008).
     * The cluster repeats the event on every other instance.
     */
    void credentialsEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) CredentialsEnded event) {
        for (StreamHub hub : hubs.values()) {
            closeViewers(hub, v -> event.covers(v.username(), v.credential()), SESSION_ENDED);
        }
    }

    /** Share links were revoked or ran out: the sockets they opened here close (1008). */
    void shareLinksEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) ShareLinkEnded event) {
        Set<String> keys = event.linkIds().stream().map(id -> "l:" + id).collect(Collectors.toSet());
        for (StreamHub hub : hubs.values()) {
            closeViewers(hub, v -> keys.contains(v.credential()), LINK_ENDED);
        }
    }

    /** The share links with sockets open here. */
    public Set<Long> openShareLinks() {
        Set<Long> ids = new HashSet<>();
        for (StreamHub hub : hubs.values()) {
            for (Viewer viewer : hub.viewers()) {
                if (viewer.credential().startsWith("l:")) {
                    ids.add(Long.parseLong(viewer.credential().substring(2)));
                }
            }
        }
        return ids;
    }

    /** Sockets open here per share link of the stream. */
    public Map<Long, Integer> shareViewers(String streamId) {
        Map<Long, Integer> counts = new HashMap<>();
        find(streamId)
                .ifPresent(hub -> hub.viewers().stream()
                        .filter(v -> v.credential().startsWith("l:"))
                        .forEach(v -> counts.merge(Long.parseLong(v.credential().substring(2)), 1, Integer::sum)));
        return counts;
    }

    private static void closeViewers(StreamHub hub, Predicate<Viewer> which, CloseReason reason) {
        for (Viewer viewer : hub.viewers()) {
            if (which.test(viewer)) {
                hub.leave(viewer.id());
                viewer.close(reason);
            }
        }
    }

    /** Incoming bits per second over the last few seconds, 0 when offline. */
    public long bitrate(String streamId) {
        BitrateMeter meter = bitrates.get(streamId);
        return meter == null ? 0 : meter.bitsPerSecond();
    }

    void housekeeping() {
        long now = System.nanoTime();
        long stallNanos = config.viewer().stallTimeout().toNanos();
        Instant wallNow = Instant.now();
        for (StreamHub hub : hubs.values()) {
            bitrates.computeIfAbsent(hub.streamId(), id -> new BitrateMeter()).sample(hub.bytesIn(), now);
            hub.announceAudience();
            hub.settleViewers();
            for (Viewer viewer : hub.viewers()) {
                if (viewer.credentialExpired(wallNow)) {
                    hub.leave(viewer.id());
                    viewer.close(SESSION_ENDED); // the token or session that opened it has run out
                } else if (viewer.stalledFor(stallNanos, now)) {
                    LOG.infof(
                            "Closing viewer %s of stream %s: no progress for %ds with %d bytes queued",
                            viewer.id(),
                            hub.streamId(),
                            TimeUnit.NANOSECONDS.toSeconds(stallNanos),
                            viewer.pendingBytes());
                    hub.leave(viewer.id());
                    viewer.close(STALLED);
                    metrics.viewerStalled();
                }
            }
        }
        limits.expireUnopened(now);
        enforceBudget(now);
    }

    /** The viewers holding the most give way when the relay holds too much for its viewers (see HeldBytesBudget). */
    private void enforceBudget(long now) {
        List<Viewer> all = new ArrayList<>();
        hubs.values().forEach(hub -> all.addAll(hub.viewers()));
        HeldBytesBudget.Plan<Viewer> plan = budget.plan(all, now);
        for (Viewer viewer : plan.skip()) {
            viewer.context().runOnContext(v -> viewer.yieldToBudget());
        }
        for (Viewer viewer : plan.close()) {
            LOG.infof(
                    "Closing viewer %s of stream %s: %d bytes queued did not drain while viewers held %d in all",
                    viewer.id(), viewer.streamId(), viewer.pendingBytes(), budget.held());
            find(viewer.streamId()).ifPresent(hub -> hub.leave(viewer.id()));
            viewer.close(TOO_SLOW);
            budget.closed();
        }
    }

    /**
     * SIGTERM (Heroku's daily restart, a deploy, systemd): every viewer gets 1001 and every publisher a 503, at
     * once, so that players and Pi clients reconnect right away (to the next instance) instead of waiting for a
     * dead socket to time out; new ones are refused from now on. Runs at the start of Quarkus' shutdown delay,
     * which gives these goodbyes time to go out before the server closes.
     */
    void onShutdownStarted(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** Where no shutdown delay ran (tests), the same goodbyes as late as Quarkus allows. */
    void onShutdown(@Observes ShutdownEvent event) {
        drain();
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        LOG.infof(
                "Shutting down: disconnecting %d publishers and %d viewers",
                hubs.values().stream().filter(StreamHub::live).count(),
                hubs.values().stream().mapToInt(StreamHub::viewerCount).sum());
        for (StreamHub hub : hubs.values()) {
            hub.disconnectPublisher(503, RESTARTING);
            hub.viewers().forEach(v -> v.close(SHUTDOWN));
        }
    }

    /** True once the relay is shutting down: new publishers and viewers are refused with 503. */
    public boolean draining() {
        return draining;
    }

    /** Rate over a sliding window of a few one-second samples. */
    private static final class BitrateMeter {
        private static final int WINDOW = 4;
        private final long[] bytes = new long[WINDOW + 1];
        private final long[] times = new long[WINDOW + 1];
        private int samples;

        synchronized void sample(long totalBytes, long nowNanos) {
            System.arraycopy(bytes, 0, bytes, 1, WINDOW);
            System.arraycopy(times, 0, times, 1, WINDOW);
            bytes[0] = totalBytes;
            times[0] = nowNanos;
            samples = Math.min(samples + 1, WINDOW + 1);
        }

        synchronized long bitsPerSecond() {
            if (samples < 2) {
                return 0;
            }
            int oldest = samples - 1;
            long nanos = times[0] - times[oldest];
            return nanos <= 0 ? 0 : (bytes[0] - bytes[oldest]) * 8 * 1_000_000_000L / nanos;
        }
    }
}
