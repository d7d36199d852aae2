package io.picam.relay.cluster;

import io.picam.relay.cluster.InstanceReport.StreamReport;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Who publishes and watches what on the other instances. Each instance writes its {@link InstanceReport} every
 * second under a key of its own, {@code picam:instance:<name>}, that Redis expires after {@link #EXPIRY_MILLIS}:
 * an instance that dies without a goodbye drops out by itself. The others' keys are found with SCAN and read with
 * MGET. While Redis is away nothing is claimed about other instances.
 */
@Singleton
final class Presence {

    private static final Logger LOG = Logger.getLogger(Presence.class);
    static final String KEY = "picam:instance:";
    /** A report not renewed for this long is gone (its instance crashed or lost Redis). */
    static final long EXPIRY_MILLIS = 5_000;

    /** What the other instances report about one stream, summed. */
    record Elsewhere(boolean live, int viewers, long bitrate) {
        static final Elsewhere NOWHERE = new Elsewhere(false, 0, 0);

        Elsewhere plus(StreamReport s) {
            return new Elsewhere(live || s.publishing(), viewers + s.viewers(), Math.max(bitrate, s.bitrate()));
        }
    }

    private final String ownKey;
    private final long expiryMillis;
    private volatile Map<String, Elsewhere> elsewhere = Map.of();

    @Inject
    Presence(ThisInstance me) {
        this(me.name(), EXPIRY_MILLIS);
    }

    Presence(String instanceName, long expiryMillis) {
        this.ownKey = KEY + instanceName;
        this.expiryMillis = expiryMillis;
    }

    Elsewhere about(String streamId) {
        return elsewhere.getOrDefault(streamId, Elsewhere.NOWHERE);
    }

    /** Redis is away: nothing is known about the other instances. */
    void forget() {
        elsewhere = Map.of();
    }

    /**
     * Writes {@code mine} and reads the others' reports. The future says whether the first answer was in step
     * (false: the connection lost its place and must be made again); the reading goes on after it.
     */
    Future<Boolean> exchange(RedisConnection c, InstanceReport mine) {
        return c.batch(List.of(
                        Request.cmd(Command.SET)
                                .arg(ownKey)
                                .arg(mine.toJson())
                                .arg("PX")
                                .arg(expiryMillis),
                        scan("0")))
                .map(replies -> {
                    Response page = replies.get(1);
                    if (!isScanPage(page)) {
                        return false;
                    }
                    List<String> keys = new ArrayList<>();
                    collect(c, page, keys);
                    return true;
                });
    }

    /** This instance stops: its report goes at once rather than when it expires. */
    Future<Response> withdraw(RedisConnection c) {
        return c.send(Request.cmd(Command.DEL).arg(ownKey));
    }

    private static Request scan(String cursor) {
        return Request.cmd(Command.SCAN)
                .arg(cursor)
                .arg("MATCH")
                .arg(KEY + "*")
                .arg("COUNT")
                .arg(1000);
    }

    private static boolean isScanPage(Response page) {
        return page != null
                && page.type() == ResponseType.MULTI
                && page.size() == 2
                && page.get(1) != null
                && page.get(1).type() == ResponseType.MULTI;
    }

    /** Gathers the keys of one SCAN page, asks for the next until the cursor is back at 0, then reads them all. */
    private void collect(RedisConnection c, Response page, List<String> keys) {
        for (Response key : page.get(1)) {
            String name = key.toString();
            if (!name.equals(ownKey)) {
                keys.add(name);
            }
        }
        String cursor = page.get(0).toString();
        if (!"0".equals(cursor)) {
            c.send(scan(cursor)).onSuccess(next -> {
                if (isScanPage(next)) {
                    collect(c, next, keys);
                }
            });
            return;
        }
        if (keys.isEmpty()) {
            elsewhere = Map.of();
            return;
        }
        Request mget = Request.cmd(Command.MGET);
        keys.forEach(mget::arg);
        c.send(mget).onSuccess(reports -> read(keys, reports));
    }

    private void read(List<String> keys, Response reports) {
        if (reports == null || reports.type() != ResponseType.MULTI) {
            return;
        }
        Map<String, Elsewhere> merged = new HashMap<>();
        for (int i = 0; i < reports.size() && i < keys.size(); i++) {
            Response report = reports.get(i);
            if (report == null) {
                continue; // expired between SCAN and MGET
            }
            try {
                InstanceReport.parse(report.toString())
                        .streams()
                        .forEach((streamId, s) ->
                                merged.merge(streamId, Elsewhere.NOWHERE.plus(s), (a, b) -> a.plus(s)));
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Ignoring the report under %s: %s", keys.get(i), e.getMessage());
            }
        }
        elsewhere = Map.copyOf(merged);
    }
}
