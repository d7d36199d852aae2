package io.picam.relay.cluster;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.picam.media.MediaSegment;
import io.picam.relay.cluster.ControlMessage.Beat;
import io.picam.relay.cluster.ControlMessage.PublisherStartedMessage;
import io.picam.relay.cluster.ControlMessage.SnapshotRequest;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.live.ClusterLink;
import io.picam.relay.live.HubRegistry;
import io.picam.relay.live.PublisherHandle;
import io.picam.relay.live.StreamHub;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Several relay instances behind one URL act as one relay when {@code REDIS_URL} is set (without it every
 * method returns at once). The media of a publisher connected here goes to the channel {@code picam:media:<id>}
 * only while another instance has viewers of that stream; an instance with viewers and no publisher of its
 * own subscribes and feeds its hub from the channel, so its own join-point cache and slow-viewer policy work as
 * for a local publisher. Its first viewer asks for a snapshot (init segment and the bytes since the latest join
 * point) so that the picture comes at once whatever the GOP length. Sequence numbers reveal what Redis lost
 * (a restart, a dropped connection): the hub then waits for the next join point or snapshot.
 *
 * <p>Control messages ({@link ControlMessage} records in a {@link ControlEnvelope}, JSON on {@code picam:control})
 * carry publisher take-overs and snapshot requests to every instance, and each instance's beat every 2 s, which it
 * must hear back on its own subscription (else that connection is made again). Every second each instance writes
 * its live streams and viewer counts into the hash {@code picam:instances} and reads the others'. Redis being
 * away never touches local
 * delivery: commands are fire-and-forget with a bound on bytes in flight, and the two connections (commands,
 * subscriptions) reconnect by themselves with backoff. Other kinds of control message (changes of rights, login
 * blocks) are sent for others through {@link ControlChannel} and handed to them as {@link ControlMessage} events.
 *
 * <p>Every message on a channel is signed ({@link MessageSigner}, a key derived from the shared session key) and
 * every one received is checked first: whatever else reaches Redis is dropped and counted ({@link RejectedMessages}).
 */
@ApplicationScoped
public class RedisCluster implements ClusterLink, ControlChannel {

    private static final Logger LOG = Logger.getLogger(RedisCluster.class);
    static final String CONTROL = "picam:control";
    static final String INSTANCES = "picam:instances";
    static final String MEDIA = "picam:media:";
    /** Bytes handed to Redis and not yet acknowledged before segments are dropped (a gap the receivers see). */
    private static final long MAX_IN_FLIGHT = 16L * 1024 * 1024;
    /** An instance's report older than this is ignored (it died without saying goodbye). */
    private static final long REPORT_TTL_MILLIS = 5_000;
    /** A snapshot request keeps a stream forwarded for this long, until the requester's report shows up. */
    private static final long INTEREST_MILLIS = 10_000;
    /** A remote feed that hears nothing for this long, while no report names a publisher, goes offline. */
    private static final long FEED_SILENCE_MILLIS = 10_000;
    /** A connection attempt (TCP, TLS, handshake) that has not succeeded by then is given up and made again. */
    private static final long CONNECT_DEADLINE_MILLIS = 8_000;

    private final Optional<String> url;
    private final boolean tlsVerify;
    private final Vertx vertx;
    private final HubRegistry hubs;
    private final Event<ControlMessage> received;
    private final Optional<String> sessionKey;
    private final ObjectMapper json = new ObjectMapper();
    private final long instanceId = ThreadLocalRandom.current().nextLong();
    private final String instanceName = Long.toHexString(instanceId);
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final Map<String, RemoteFeed> feeds = new ConcurrentHashMap<>();
    private final Map<String, Long> interestUntil = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile Map<String, Elsewhere> elsewhere = Map.of();
    private volatile boolean stopped;
    private Supervised commands;
    private Supervised subscriber;
    private long timerId = -1;
    private long beats;
    private Counter sentBytes;
    private Counter receivedBytes;
    private Counter dropped;
    private Counter resyncs;
    private MessageSigner signer;
    private RejectedMessages rejected;

    /** What the other instances report about one stream. */
    record Elsewhere(boolean live, int viewers, long bitrate) {
    }

    @Inject
    public RedisCluster(RelayConfig config, Vertx vertx, HubRegistry hubs, Event<ControlMessage> received,
                        @ConfigProperty(name = "quarkus.http.auth.session.encryption-key") Optional<String> sessionKey) {
        this.url = config.redis().url().filter(u -> !u.isBlank());
        this.tlsVerify = config.redis().tlsVerify();
        this.vertx = vertx;
        this.hubs = hubs;
        this.received = received;
        this.sessionKey = sessionKey;
    }

    void start(@Observes StartupEvent event, MeterRegistry metrics) {
        if (url.isEmpty()) {
            return;
        }
        signer = new MessageSigner(sessionKey.orElse(null), System::currentTimeMillis);
        rejected = new RejectedMessages(metrics, System::currentTimeMillis);
        sentBytes = Counter.builder("picam.cluster.sent.bytes").description("Media bytes published to Redis for other instances")
                .register(metrics);
        receivedBytes = Counter.builder("picam.cluster.received.bytes").description("Media bytes received from other instances")
                .register(metrics);
        dropped = Counter.builder("picam.cluster.dropped.segments")
                .description("Segments not sent to other instances because Redis was away or too slow").register(metrics);
        resyncs = Counter.builder("picam.cluster.resyncs")
                .description("Times a stream fed from another instance lost bytes and restarted at a join point").register(metrics);
        RedisOptions options = options(url.get(), tlsVerify);
        commands = new Supervised("commands", () -> Redis.createClient(vertx, options), c -> {
            heartbeat();
            feeds.values().forEach(RemoteFeed::askIfWaiting); // a request made while this connection was down
        });
        subscriber = new Supervised("subscriptions", () -> Redis.createClient(vertx, options), this::subscribeAll);
        Gauge.builder("picam.cluster.connected", this, c -> c.connected() ? 1 : 0)
                .description("1 while both connections to Redis are up").strongReference(true).register(metrics);
        LOG.infof("Scale-out through Redis at %s as instance %s", redacted(url.get()), instanceName);
        commands.connect();
        subscriber.connect();
        timerId = vertx.setPeriodic(1000, id -> tick());
    }

    static RedisOptions options(String url, boolean tlsVerify) {
        RedisOptions options = new RedisOptions().setConnectionString(url).setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxWaitingHandlers(64 * 1024).setMaxPoolSize(4).setMaxPoolWaiting(16);
        options.getNetClientOptions().setTcpKeepAlive(true).setConnectTimeout(5000);
        if (url.startsWith("rediss:")) {
            options.getNetClientOptions().setSsl(true);
            if (tlsVerify) {
                options.getNetClientOptions().setHostnameVerificationAlgorithm("HTTPS");
            } else {
                // Heroku Key-Value Store presents a self-signed certificate: TLS protects the bytes, not the peer
                options.getNetClientOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
            }
        }
        return options;
    }

    /** The address without its password, for the log. */
    static String redacted(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "(an unparseable REDIS_URL)";
        }
    }

    /** Whether REDIS_URL is set (the connections come up at startup). */
    boolean configured() {
        return url.isPresent();
    }

    boolean enabled() {
        return commands != null;
    }

    /** The commands connection while it is up, else null: for those who add their own commands (login counting). */
    RedisConnection commandsConnection() {
        return enabled() ? commands.connection : null;
    }

    boolean connected() {
        return enabled() && commands.connection != null && subscriber.connection != null;
    }

    // ---- from this instance's hubs ----

    @Override
    public void publisherStarted(String streamId, long epoch) {
        control(new PublisherStartedMessage(streamId));
        vertx.runOnContext(v -> updateSubscription(streamId));
    }

    @Override
    public void forward(String streamId, long epoch, long seq, int flags, Buffer chunk) {
        if (!enabled() || !interested(streamId)) {
            return;
        }
        publish(streamId, MediaMessage.segment(instanceId, epoch, seq, flags, chunk));
    }

    @Override
    public void publisherEnded(String streamId, long epoch) {
        if (enabled()) {
            publish(streamId, MediaMessage.end(instanceId, epoch));
            vertx.runOnContext(v -> updateSubscription(streamId));
        }
    }

    @Override
    public void viewerJoined(StreamHub hub) {
        if (enabled() && !subscribed.contains(hub.streamId())) {
            vertx.runOnContext(v -> updateSubscription(hub.streamId()));
        }
    }

    @Override
    public boolean liveElsewhere(String streamId) {
        Elsewhere e = elsewhere.get(streamId);
        return e != null && e.live();
    }

    @Override
    public int viewersElsewhere(String streamId) {
        Elsewhere e = elsewhere.get(streamId);
        return e == null ? 0 : e.viewers();
    }

    @Override
    public long bitrateElsewhere(String streamId) {
        Elsewhere e = elsewhere.get(streamId);
        return e == null ? 0 : e.bitrate();
    }

    private boolean interested(String streamId) {
        if (viewersElsewhere(streamId) > 0) {
            return true;
        }
        Long until = interestUntil.get(streamId);
        return until != null && until > System.currentTimeMillis();
    }

    private void publish(String streamId, Buffer message) {
        RedisConnection c = commands.connection;
        if (c == null || inFlight.get() > MAX_IN_FLIGHT) {
            dropped.increment(); // the receivers see the gap in the numbers and restart at a join point
            return;
        }
        String channel = MEDIA + streamId;
        Buffer signed = signer.sign(channel, message);
        int length = signed.length();
        inFlight.addAndGet(length);
        sentBytes.increment(length);
        c.send(Request.cmd(Command.PUBLISH).arg(channel).arg(signed))
                .onComplete(done -> inFlight.addAndGet(-length));
    }

    @Override
    public void send(ControlMessage message) {
        control(message);
    }

    private void control(ControlMessage message) {
        if (!enabled()) {
            return;
        }
        RedisConnection c = commands.connection;
        // beats and snapshot requests are made again anyway: losing one is not worth a warning
        boolean routine = message instanceof Beat || message instanceof SnapshotRequest;
        if (c == null) {
            if (!routine) {
                LOG.warnf("Redis unreachable: the other instances miss a %s", message.getClass().getSimpleName());
            }
            return;
        }
        Buffer signed = signer.sign(CONTROL, new ControlEnvelope(instanceName, message).toJson());
        c.send(Request.cmd(Command.PUBLISH).arg(CONTROL).arg(signed))
                .onFailure(e -> {
                    if (!routine) {
                        LOG.warnf("Redis: a %s was lost: %s", message.getClass().getSimpleName(), e.getMessage());
                    }
                });
    }

    // ---- subscriptions: streams with viewers here and no publisher here ----

    private void updateSubscription(String streamId) {
        if (!enabled()) {
            return; // one instance: nothing to subscribe to
        }
        Optional<StreamHub> hub = hubs.find(streamId);
        boolean wanted = hub.isPresent() && hub.get().viewerCount() > 0 && !hub.get().publishedHere();
        if (wanted && subscribed.add(streamId)) {
            feeds.put(streamId, new RemoteFeed(hub.get()));
            RedisConnection c = subscriber.connection;
            if (c != null) {
                subscribe(c, streamId);
            }
        } else if (!wanted && subscribed.remove(streamId)) {
            RemoteFeed feed = feeds.remove(streamId);
            if (feed != null) {
                feed.stop();
            }
            RedisConnection c = subscriber.connection;
            if (c != null) {
                c.send(Request.cmd(Command.UNSUBSCRIBE).arg(MEDIA + streamId));
            }
        }
    }

    private void subscribe(RedisConnection c, String streamId) {
        c.send(Request.cmd(Command.SUBSCRIBE).arg(MEDIA + streamId))
                .onSuccess(ok -> requestSnapshot(streamId));
    }

    /** (Re)connected: every subscription again, and whatever came meanwhile is lost, so each feed starts over. */
    private void subscribeAll(RedisConnection c) {
        c.handler(this::onMessage);
        c.send(Request.cmd(Command.SUBSCRIBE).arg(CONTROL));
        for (String streamId : subscribed) {
            RemoteFeed feed = feeds.get(streamId);
            if (feed != null) {
                feed.lost();
            }
            subscribe(c, streamId);
        }
    }

    private void requestSnapshot(String streamId) {
        control(new SnapshotRequest(streamId));
    }

    private void onMessage(Response r) {
        if ((r.type() != ResponseType.MULTI && r.type() != ResponseType.PUSH) || r.size() < 3
                || !"message".equals(r.get(0).toString())) {
            return; // subscription confirmations
        }
        String channel = r.get(1).toString();
        try {
            Buffer message = signer.verify(channel, r.get(2).toBuffer());
            if (CONTROL.equals(channel)) {
                ControlEnvelope.parse(message).ifPresent(this::onControl);
            } else if (channel.startsWith(MEDIA)) {
                receivedBytes.increment(message.length());
                RemoteFeed feed = feeds.get(channel.substring(MEDIA.length()));
                if (feed != null) {
                    feed.receive(MediaMessage.parse(message));
                }
            }
        } catch (MessageSigner.Rejected e) {
            rejected.count(channel, e.reason());
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring a message on %s: %s", channel, e.toString());
        }
    }

    private void onControl(ControlEnvelope envelope) {
        ControlMessage message = envelope.message();
        if (instanceName.equals(envelope.from())) {
            if (message instanceof Beat) {
                subscriber.answered(subscriber.connection); // the subscription still delivers
            }
            return; // done here already
        }
        if (message instanceof PublisherStartedMessage m) {
            hubs.find(m.streamId()).ifPresent(StreamHub::publisherElsewhere);
        } else if (message instanceof SnapshotRequest m) {
            String streamId = m.streamId();
            interestUntil.put(streamId, System.currentTimeMillis() + INTEREST_MILLIS);
            hubs.find(streamId).ifPresent(hub -> hub.snapshot(s -> publish(streamId, MediaMessage.snapshot(instanceId, s))));
        } else if (!(message instanceof Beat)) { // another instance's beat tells nothing here
            received.fire(message);
        }
    }

    // ---- every second: report, read the others' reports, tidy subscriptions and silent feeds ----

    private void tick() {
        for (StreamHub hub : hubs.all()) {
            if (subscribed.contains(hub.streamId()) != (hub.viewerCount() > 0 && !hub.publishedHere())) {
                updateSubscription(hub.streamId());
            }
        }
        for (String streamId : subscribed) {
            if (hubs.find(streamId).isEmpty()) {
                updateSubscription(streamId);
            }
        }
        long now = System.currentTimeMillis();
        interestUntil.values().removeIf(until -> until < now);
        feeds.values().forEach(feed -> feed.checkSilence(now));
        heartbeat();
    }

    private void heartbeat() {
        RedisConnection c = commands.connection;
        if (c == null) {
            if (!elsewhere.isEmpty()) {
                elsewhere = Map.of(); // unknown: nothing is claimed about other instances
            }
            return;
        }
        Map<String, Object> streams = new HashMap<>();
        for (StreamHub hub : hubs.all()) {
            boolean publishing = hub.publishedHere();
            if (publishing || hub.viewerCount() > 0) {
                streams.put(hub.streamId(), List.of(publishing ? 1 : 0, hub.viewerCount(), publishing ? hubs.bitrate(hub.streamId()) : 0));
            }
        }
        String report;
        try {
            report = json.writeValueAsString(Map.of("t", System.currentTimeMillis(), "s", streams));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of numbers always serializes", e);
        }
        long sent = System.currentTimeMillis();
        c.batch(List.of(Request.cmd(Command.HSET).arg(INSTANCES).arg(instanceName).arg(report),
                Request.cmd(Command.PEXPIRE).arg(INSTANCES).arg(60_000), Request.cmd(Command.HGETALL).arg(INSTANCES)))
                .onSuccess(replies -> readReports(c, replies.get(2), sent));
        commands.watchdog(c, sent);
        RedisConnection s = subscriber.connection;
        if (s != null && ++beats % 2 == 0) {
            // a subscription that died silently (no FIN, e.g. a NAT dropped it) would never say so: each instance
            // hears its own beat every 2 s, or makes the subscription again
            control(new Beat());
            subscriber.watchdog(s, sent);
        }
    }

    @SuppressWarnings("unchecked")
    private void readReports(RedisConnection c, Response all, long now) {
        if (all == null || all.type() != ResponseType.MULTI) {
            commands.lost(c, "an answer out of step"); // the connection lost its place: make a new one
            return;
        }
        commands.answered(c);
        Map<String, Elsewhere> merged = new HashMap<>();
        for (int i = 0; i + 1 < all.size(); i += 2) {
            String instance = all.get(i).toString();
            if (instance.equals(instanceName)) {
                continue;
            }
            try {
                Map<String, Object> report = json.readValue(all.get(i + 1).toString(), Map.class);
                long age = now - ((Number) report.get("t")).longValue();
                if (age > 60_000) {
                    c.send(Request.cmd(Command.HDEL).arg(INSTANCES).arg(instance)); // gone for good
                }
                if (age > REPORT_TTL_MILLIS) {
                    continue;
                }
                ((Map<String, List<Number>>) report.get("s")).forEach((streamId, s) -> merged.merge(streamId,
                        new Elsewhere(s.get(0).intValue() == 1, s.get(1).intValue(), s.get(2).longValue()),
                        (a, b) -> new Elsewhere(a.live() || b.live(), a.viewers() + b.viewers(), Math.max(a.bitrate(), b.bitrate()))));
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.debugf("Ignoring the report of instance %s: %s", instance, e.toString());
            }
        }
        elsewhere = Map.copyOf(merged);
    }

    void stop(@Observes ShutdownEvent event) {
        if (!enabled() || stopped) {
            return;
        }
        stopped = true;
        vertx.cancelTimer(timerId);
        RedisConnection c = commands.connection;
        Redis commandsClient = commands.client;
        if (c != null) {
            c.send(Request.cmd(Command.HDEL).arg(INSTANCES).arg(instanceName)).onComplete(done -> commandsClient.close());
        }
        if (subscriber.client != null) {
            subscriber.client.close();
        }
    }

    @PreDestroy
    void destroy() {
        stop(null);
    }

    /**
     * The stand-in, on this instance, for a publisher connected to another one: it feeds the hub from the
     * stream's media channel. Runs on the subscription connection's event loop.
     */
    private final class RemoteFeed implements PublisherHandle {
        private final StreamHub hub;
        // written without this feed's lock by the hub (under its own lock): taking this lock there could deadlock
        private volatile boolean attached;
        private long epoch;
        private long lastSeq = -1;
        private boolean base; // a join point or snapshot arrived since the last loss: the viewers can decode
        private long lastMessageMillis = System.currentTimeMillis();
        private long lastRequestMillis;
        private Buffer init; // the latest init segment of this epoch: a snapshot's copy of it is not sent again

        RemoteFeed(StreamHub hub) {
            this.hub = hub;
        }

        synchronized void receive(MediaMessage m) {
            if (m.origin() == instanceId) {
                return;
            }
            lastMessageMillis = System.currentTimeMillis();
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
                if (!base && m.seq() >= lastSeq) {
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
                return;
            }
            if (lastSeq >= 0 && m.seq() <= lastSeq) {
                return; // already in a snapshot
            }
            if (lastSeq >= 0 && m.seq() != lastSeq + 1) {
                resyncs.increment();
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

        private void askForSnapshot() {
            long now = System.currentTimeMillis();
            if (now - lastRequestMillis > 1000) {
                lastRequestMillis = now;
                requestSnapshot(hub.streamId());
            }
        }

        synchronized void askIfWaiting() {
            if (attached && !base) {
                lastRequestMillis = 0;
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

        synchronized void checkSilence(long now) {
            if (attached && now - lastMessageMillis > FEED_SILENCE_MILLIS && !liveElsewhere(hub.streamId())) {
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
    }

    private static MediaSegment segment(int flags, Buffer bytes) {
        MediaSegment.Kind kind = (flags & INIT) != 0 ? MediaSegment.Kind.INIT
                : (flags & JOIN_POINT) != 0 ? MediaSegment.Kind.JOIN : MediaSegment.Kind.CONTINUATION;
        return new MediaSegment(kind, bytes.getBytes());
    }

    /**
     * One connection to Redis, made again with backoff whenever it fails. Each attempt has a client of its own,
     * closed with it: a pooled client would hand a silently dead connection back on the next attempt.
     */
    private final class Supervised {
        private final String name;
        private final java.util.function.Supplier<Redis> clients;
        private final Consumer<RedisConnection> onConnected;
        private Redis client;
        private volatile RedisConnection connection;
        private long backoffMillis = 250;
        private boolean reportedDown;
        private volatile long oldestUnanswered;

        Supervised(String name, java.util.function.Supplier<Redis> clients, Consumer<RedisConnection> onConnected) {
            this.name = name;
            this.clients = clients;
            this.onConnected = onConnected;
        }

        void connect() {
            if (stopped) {
                return;
            }
            // the client's handshake has no deadline of its own: on a network that swallows packets it would wait
            // forever, and with it every later attempt
            java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
            Redis attempt = clients.get();
            client = attempt;
            long deadline = vertx.setTimer(CONNECT_DEADLINE_MILLIS, id -> {
                if (settled.compareAndSet(false, true)) {
                    attempt.close();
                    retry("no answer within " + CONNECT_DEADLINE_MILLIS / 1000 + " s");
                }
            });
            attempt.connect().onComplete(result -> {
                vertx.cancelTimer(deadline);
                if (!settled.compareAndSet(false, true)) {
                    return; // too late: closed with its client, and a newer attempt is under way
                }
                if (result.failed()) {
                    attempt.close();
                    retry(result.cause().getMessage());
                    return;
                }
                RedisConnection c = result.result();
                c.exceptionHandler(e -> lost(c, e.getMessage()));
                c.endHandler(v -> lost(c, "closed"));
                connection = c;
                oldestUnanswered = 0;
                backoffMillis = 250;
                if (reportedDown) {
                    LOG.infof("Redis %s connection is back", name);
                    reportedDown = false;
                }
                onConnected.accept(c);
            });
        }

        /** A heartbeat that gets no answer for a few seconds means a dead connection nobody closed. */
        void watchdog(RedisConnection c, long sentMillis) {
            if (oldestUnanswered == 0) {
                oldestUnanswered = sentMillis;
            } else if (sentMillis - oldestUnanswered > 5_000) {
                lost(c, "no answer for 5 s");
                if (this == commands && subscriber.connection != null) {
                    // the same network path, and the subscription cannot be checked without commands: make it again too
                    subscriber.lost(subscriber.connection, "no answer on the commands connection");
                }
            }
        }

        void answered(RedisConnection c) {
            if (connection == c) {
                oldestUnanswered = 0;
            }
        }

        void lost(RedisConnection c, String why) {
            if (connection != c) {
                return;
            }
            connection = null;
            client.close(); // its socket too, however dead
            retry(why);
        }

        private void retry(String why) {
            if (stopped) {
                return;
            }
            if (!reportedDown) {
                LOG.warnf("Redis %s connection down (%s); local viewers are not affected; reconnecting", name, why);
                reportedDown = true;
            }
            vertx.setTimer(backoffMillis, id -> connect());
            backoffMillis = Math.min(backoffMillis * 2, 2_000);
        }
    }
}
