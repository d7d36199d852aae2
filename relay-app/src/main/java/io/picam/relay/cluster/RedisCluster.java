package io.picam.relay.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.picam.relay.cluster.ControlMessage.Beat;
import io.picam.relay.cluster.ControlMessage.PublisherStartedMessage;
import io.picam.relay.cluster.ControlMessage.SnapshotRequest;
import io.picam.relay.cluster.InstanceReport.StreamReport;
import io.picam.relay.live.HubRegistry;
import io.picam.relay.live.StreamHub;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Several relay instances behind one URL act as one relay when {@code REDIS_URL} is set; this class wires the
 * parts and keeps the clock:
 * <ul>
 * <li>{@link RedisLinks}: the two connections, reconnecting by themselves, and the signatures on every message;
 * <li>{@link MediaBridge}: media to and from the other instances ({@link RemoteFeed} per stream fed from there);
 * <li>{@link Presence}: each instance's report of its streams and viewers, under a key that expires;
 * <li>the control channel, here: {@link ControlMessage} records on {@code picam:control}. Publisher take-overs,
 * snapshot requests and beats are acted on here; the others (changes of rights, login blocks) are fired as CDI
 * events for {@link ClusterEvents}, which turns them into domain events.
 * </ul>
 * Every second the presence reports are exchanged, which also probes the commands connection; every two seconds
 * a beat goes out that this instance must hear back on its own subscription (else that connection is made again).
 * Redis being away never touches local delivery.
 */
@ApplicationScoped
public class RedisCluster implements ControlChannel {

    private static final Logger LOG = Logger.getLogger(RedisCluster.class);
    static final String CONTROL = "picam:control";

    private final RedisLinks links;
    private final MediaBridge media;
    private final Presence presence;
    private final ThisInstance me;
    private final HubRegistry hubs;
    private final Vertx vertx;
    private final Event<ControlMessage> received;
    private long timerId = -1;
    private long ticks;
    private volatile boolean stopped;

    RedisCluster(
            RedisLinks links,
            MediaBridge media,
            Presence presence,
            ThisInstance me,
            HubRegistry hubs,
            Vertx vertx,
            Event<ControlMessage> received) {
        this.links = links;
        this.media = media;
        this.presence = presence;
        this.me = me;
        this.hubs = hubs;
        this.vertx = vertx;
        this.received = received;
    }

    void start(@Observes StartupEvent event, MeterRegistry metrics) {
        if (!links.configured()) {
            return;
        }
        media.start(metrics);
        Gauge.builder("picam.cluster.connected", links, l -> l.connected() ? 1 : 0)
                .description("1 while both connections to Redis are up")
                .strongReference(true)
                .register(metrics);
        links.start(
                metrics,
                me.name(),
                c -> {
                    exchangeReports();
                    media.commandsUp();
                },
                c -> {
                    c.send(Request.cmd(Command.SUBSCRIBE).arg(CONTROL));
                    media.subscriptionsUp(c);
                },
                this::onMessage);
        timerId = vertx.setPeriodic(1000, id -> tick());
    }

    // ---- the control channel ----

    @Override
    public void send(ControlMessage message) {
        if (!links.started()) {
            return;
        }
        RedisConnection c = links.commands();
        // beats and snapshot requests are made again anyway: losing one is not worth a warning
        boolean routine = message instanceof Beat || message instanceof SnapshotRequest;
        if (c == null) {
            if (!routine) {
                LOG.warnf(
                        "Redis unreachable: the other instances miss a %s",
                        message.getClass().getSimpleName());
            }
            return;
        }
        links.publish(c, CONTROL, new ControlEnvelope(me.name(), message).toJson())
                .onFailure(e -> {
                    if (!routine) {
                        LOG.warnf("Redis: a %s was lost: %s", message.getClass().getSimpleName(), e.getMessage());
                    }
                });
    }

    /** A message that passed the signature check. */
    private void onMessage(String channel, Buffer message) {
        if (CONTROL.equals(channel)) {
            ControlEnvelope.parse(message).ifPresent(this::onControl);
        } else if (channel.startsWith(MediaBridge.MEDIA)) {
            media.received(channel.substring(MediaBridge.MEDIA.length()), message);
        }
    }

    private void onControl(ControlEnvelope envelope) {
        ControlMessage message = envelope.message();
        if (me.name().equals(envelope.from())) {
            if (message instanceof Beat) {
                links.subscriptionsAnswered();
            }
            return; // done here already
        }
        if (message instanceof PublisherStartedMessage m) {
            media.publisherElsewhere(m.streamId());
        } else if (message instanceof SnapshotRequest m) {
            media.snapshotRequested(m.streamId());
        } else if (!(message instanceof Beat)) { // another instance's beat tells nothing here
            received.fire(message);
        }
    }

    // ---- every second ----

    private void tick() {
        media.tick(System.currentTimeMillis());
        exchangeReports();
        if (++ticks % 2 == 0 && links.subscriptions() != null) {
            // a subscription that died silently (no FIN, e.g. a NAT dropped it) would never say so: each instance
            // hears its own beat every 2 s, or makes the subscription again
            send(new Beat());
            links.subscriptionsProbed(System.currentTimeMillis());
        }
    }

    private void exchangeReports() {
        RedisConnection c = links.commands();
        if (c == null) {
            presence.forget(); // unknown: nothing is claimed about other instances
            return;
        }
        long sent = System.currentTimeMillis();
        presence.exchange(c, report()).onSuccess(inStep -> {
            if (inStep) {
                links.commandsAnswered(c);
            } else {
                links.commandsLost(c, "an answer out of step"); // the connection lost its place: make a new one
            }
        });
        links.commandsProbed(c, sent);
    }

    private InstanceReport report() {
        Map<String, StreamReport> streams = new HashMap<>();
        for (StreamHub hub : hubs.all()) {
            boolean publishing = hub.publishedHere();
            if (publishing || hub.viewerCount() > 0) {
                streams.put(
                        hub.streamId(),
                        new StreamReport(publishing, hub.viewerCount(), publishing ? hubs.bitrate(hub.streamId()) : 0));
            }
        }
        return new InstanceReport(streams);
    }

    void stop(@Observes ShutdownEvent event) {
        if (!links.started() || stopped) {
            return;
        }
        stopped = true;
        vertx.cancelTimer(timerId);
        links.stop(presence::withdraw);
    }

    @PreDestroy
    void destroy() {
        stop(null);
    }
}
