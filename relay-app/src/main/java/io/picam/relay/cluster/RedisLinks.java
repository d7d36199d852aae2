package io.picam.relay.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.picam.relay.config.RelayConfig;
import io.vertx.core.Future;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The two connections to Redis when {@code REDIS_URL} is set: one for commands and publishing, one for
 * subscriptions. Each is a {@link RedisLink} that reconnects by itself; a commands connection found silent takes
 * the subscriptions one with it (the same network path). Every message published through here is signed and
 * every one received is checked first ({@link MessageSigner}); whatever else reaches Redis is dropped and counted
 * ({@link RejectedMessages}), so the parts above only ever see messages of the other instances.
 */
@ApplicationScoped
class RedisLinks {

    private static final Logger LOG = Logger.getLogger(RedisLinks.class);

    private final Optional<String> url;
    private final boolean tlsVerify;
    private final Vertx vertx;
    private final Optional<String> sessionKey;
    private RedisLink commands;
    private RedisLink subscriptions;
    private MessageSigner signer;
    private RejectedMessages rejected;

    @Inject
    RedisLinks(
            RelayConfig config,
            Vertx vertx,
            @ConfigProperty(name = "quarkus.http.auth.session.encryption-key") Optional<String> sessionKey) {
        this.url = config.redis().url().filter(u -> !u.isBlank());
        this.tlsVerify = config.redis().tlsVerify();
        this.vertx = vertx;
        this.sessionKey = sessionKey;
    }

    /** Whether REDIS_URL is set (the connections come up at startup). */
    boolean configured() {
        return url.isPresent();
    }

    /** Whether {@link #start} ran: until then (and without REDIS_URL) there is nothing to send on. */
    boolean started() {
        return commands != null;
    }

    /**
     * Connects both; {@code onCommands} and {@code onSubscriptions} run after each (re)connection,
     * {@code onMessage} gets each checked message with its channel.
     */
    void start(
            MeterRegistry metrics,
            String instanceName,
            Consumer<RedisConnection> onCommands,
            Consumer<RedisConnection> onSubscriptions,
            BiConsumer<String, Buffer> onMessage) {
        signer = new MessageSigner(sessionKey.orElse(null), System::currentTimeMillis);
        rejected = new RejectedMessages(metrics, System::currentTimeMillis);
        RedisOptions options = options(url.orElseThrow(), tlsVerify);
        commands = new RedisLink("commands", vertx, () -> Redis.createClient(vertx, options), onCommands);
        subscriptions = new RedisLink("subscriptions", vertx, () -> Redis.createClient(vertx, options), c -> {
            c.handler(r -> received(r, onMessage));
            onSubscriptions.accept(c);
        });
        LOG.infof("Scale-out through Redis at %s as instance %s", redacted(url.get()), instanceName);
        commands.connect();
        subscriptions.connect();
    }

    /** The commands connection while it is up, else null. */
    RedisConnection commands() {
        return started() ? commands.connection() : null;
    }

    /** The subscriptions connection while it is up, else null. */
    RedisConnection subscriptions() {
        return started() ? subscriptions.connection() : null;
    }

    boolean connected() {
        return commands() != null && subscriptions() != null;
    }

    /** Publishes {@code message}, signed for {@code channel}, on the commands connection {@code c}. */
    Future<Response> publish(RedisConnection c, String channel, Buffer message) {
        return c.send(Request.cmd(Command.PUBLISH).arg(channel).arg(signer.sign(channel, message)));
    }

    // ---- the watchdog: probes that stay unanswered mean a dead connection nobody closed ----

    /** A probe (the presence exchange) went out on the commands connection. */
    void commandsProbed(RedisConnection c, long sentMillis) {
        RedisConnection s = subscriptions.connection();
        if (commands.probed(c, sentMillis) && s != null) {
            // the subscriptions cannot be checked without commands, and share their network path
            subscriptions.lost(s, "no answer on the commands connection");
        }
    }

    void commandsAnswered(RedisConnection c) {
        commands.answered(c);
    }

    void commandsLost(RedisConnection c, String why) {
        commands.lost(c, why);
    }

    /** A beat went out that the subscriptions connection should bring back. */
    void subscriptionsProbed(long sentMillis) {
        RedisConnection s = subscriptions.connection();
        if (s != null) {
            subscriptions.probed(s, sentMillis);
        }
    }

    /** This instance's own beat came back: the subscriptions still deliver. */
    void subscriptionsAnswered() {
        subscriptions.answered(subscriptions.connection());
    }

    /** Closes both for good; {@code lastWords} goes out on the commands connection first, if it is up. */
    void stop(Function<RedisConnection, Future<?>> lastWords) {
        if (!started()) {
            return;
        }
        commands.stop(lastWords);
        subscriptions.stop(null);
    }

    private void received(Response r, BiConsumer<String, Buffer> onMessage) {
        if ((r.type() != ResponseType.MULTI && r.type() != ResponseType.PUSH)
                || r.size() < 3
                || !"message".equals(r.get(0).toString())) {
            return; // subscription confirmations
        }
        String channel = r.get(1).toString();
        try {
            onMessage.accept(channel, signer.verify(channel, r.get(2).toBuffer()));
        } catch (MessageSigner.Rejected e) {
            rejected.count(channel, e.reason());
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring a message on %s: %s", channel, e.toString());
        }
    }

    static RedisOptions options(String url, boolean tlsVerify) {
        RedisOptions options = new RedisOptions()
                .setConnectionString(url)
                .setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxWaitingHandlers(64 * 1024)
                .setMaxPoolSize(4)
                .setMaxPoolWaiting(16);
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
}
