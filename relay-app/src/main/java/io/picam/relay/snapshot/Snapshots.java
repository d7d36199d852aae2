package io.picam.relay.snapshot;

import io.picam.relay.config.RelayConfig;
import io.picam.relay.live.ClusterLink;
import io.picam.relay.live.HubRegistry;
import io.picam.relay.live.StreamHub;
import io.picam.relay.stream.StreamDeleted;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The relay's still pictures of its live streams (see {@link SnapshotTaker}), taken once a second if due. */
@Startup
@ApplicationScoped
public class Snapshots {

    private final HubRegistry hubs;
    private final ClusterLink cluster;
    private final Vertx vertx;
    private final ExecutorService decodes;
    private final SnapshotTaker taker;
    private long timerId = -1;

    public Snapshots(HubRegistry hubs, ClusterLink cluster, Vertx vertx, RelayConfig config) {
        this.hubs = hubs;
        this.cluster = cluster;
        this.vertx = vertx;
        RelayConfig.Snapshot settings = config.snapshot();
        // one thread per allowed decode: each waits for its ffmpeg; the semaphore in the taker keeps the bound
        this.decodes = Executors.newFixedThreadPool(Math.max(1, settings.maxConcurrentDecodes()), r -> {
            Thread thread = new Thread(r, "picam-snapshot");
            thread.setDaemon(true);
            return thread;
        });
        this.taker = new SnapshotTaker(
                new SnapshotDecoder(),
                decodes,
                Clock.systemUTC(),
                settings.activeInterval(),
                settings.idleInterval(),
                settings.maxConcurrentDecodes());
    }

    @PostConstruct
    void start() {
        timerId = vertx.setPeriodic(1000, id -> tick());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timerId);
        decodes.shutdownNow();
    }

    private void tick() {
        List<SnapshotTaker.Candidate> live = new ArrayList<>();
        for (StreamHub hub : hubs.all()) {
            if (hub.live()) {
                boolean watched = hub.viewerCount() > 0 || cluster.viewersElsewhere(hub.streamId()) > 0;
                live.add(new SnapshotTaker.Candidate(hub.streamId(), hub.format(), watched, hub::latestJoinPoint));
            }
        }
        taker.tick(live, System.nanoTime());
    }

    /** The latest picture of the stream, live or from when it was last live; a camera list is looking at it. */
    public Optional<Snapshot> wanted(String streamId) {
        return taker.wanted(streamId, System.nanoTime());
    }

    /** The most decodes that ran at once since the relay started. */
    public int peakConcurrentDecodes() {
        return taker.peak();
    }

    void streamDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) StreamDeleted event) {
        taker.forget(event.streamId());
    }
}
