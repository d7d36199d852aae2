package io.picam.relay.cluster;

import io.picam.relay.retry.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One connection to Redis, made again with {@link Backoff} whenever it fails or its watchdog finds it silent.
 * Each attempt has a client of its own, closed with it: a pooled client would hand a silently dead connection
 * back on the next attempt. {@link #connection()} is null while it is down.
 */
final class RedisLink {

    private static final Logger LOG = Logger.getLogger(RedisLink.class);
    /** A connection attempt (TCP, TLS, handshake) that has not succeeded by then is given up and made again. */
    static final long CONNECT_DEADLINE_MILLIS = 8_000;
    /** A probe unanswered for this long means a dead connection nobody closed (e.g. a NAT dropped it). */
    static final long SILENCE_MILLIS = 5_000;

    private final String name;
    private final Vertx vertx;
    private final Supplier<Redis> clients;
    private final Consumer<RedisConnection> onConnected;
    private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));
    private Redis client;
    private volatile RedisConnection connection;
    private volatile boolean stopped;
    private boolean reportedDown;
    private volatile long oldestUnanswered;

    RedisLink(String name, Vertx vertx, Supplier<Redis> clients, Consumer<RedisConnection> onConnected) {
        this.name = name;
        this.vertx = vertx;
        this.clients = clients;
        this.onConnected = onConnected;
    }

    RedisConnection connection() {
        return connection;
    }

    void connect() {
        if (stopped) {
            return;
        }
        // the client's handshake has no deadline of its own: on a network that swallows packets it would wait
        // forever, and with it every later attempt
        AtomicBoolean settled = new AtomicBoolean();
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
            backoff.reset();
            if (reportedDown) {
                LOG.infof("Redis %s connection is back", name);
                reportedDown = false;
            }
            onConnected.accept(c);
        });
    }

    /**
     * A probe went out on {@code c} at {@code sentMillis} (answered through {@link #answered}); true when the
     * oldest unanswered one is older than {@link #SILENCE_MILLIS}, in which case the connection is made again.
     */
    boolean probed(RedisConnection c, long sentMillis) {
        if (oldestUnanswered == 0) {
            oldestUnanswered = sentMillis;
            return false;
        }
        if (sentMillis - oldestUnanswered > SILENCE_MILLIS) {
            lost(c, "no answer for " + SILENCE_MILLIS / 1000 + " s");
            return true;
        }
        return false;
    }

    void answered(RedisConnection c) {
        if (connection == c) {
            oldestUnanswered = 0;
        }
    }

    /** {@code c} failed (an error, an answer out of step): close it and connect again, unless that happened already. */
    void lost(RedisConnection c, String why) {
        if (c == null || connection != c) {
            return;
        }
        connection = null;
        client.close(); // its socket too, however dead
        retry(why);
    }

    /** Closes the connection for good, once {@code lastWords} (if any) has its answer. */
    void stop(Function<RedisConnection, Future<?>> lastWords) {
        stopped = true;
        RedisConnection c = connection;
        Redis current = client;
        if (current == null) {
            return;
        }
        if (c != null && lastWords != null) {
            lastWords.apply(c).onComplete(done -> current.close());
        } else {
            current.close();
        }
    }

    private void retry(String why) {
        if (stopped) {
            return;
        }
        if (!reportedDown) {
            LOG.warnf("Redis %s connection down (%s); local viewers are not affected; reconnecting", name, why);
            reportedDown = true;
        }
        vertx.setTimer(Math.max(1, backoff.next().toMillis()), id -> connect());
    }
}
