package io.picam.relay.live;

import io.picam.relay.config.RelayConfig;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many viewer sockets this relay holds, per user and in all, so that one account opening hundreds of sockets
 * cannot exhaust it. A place is reserved in the upgrade check, before the socket exists, so that parallel upgrades
 * are counted exactly; it is given back when the TCP connection closes, whatever stage the socket reached (refused
 * handshake, failed open, ordinary close), and by the housekeeping if the socket never opened.
 */
@Singleton
public class ViewerLimits {

    /** Why an upgrade is refused, and its status: 429 is the user's own doing; 503 sends the player elsewhere. */
    public enum Refusal {
        PER_USER(429, "per-user"),
        TOTAL(503, "total");

        final int status;
        final String tag;

        Refusal(int status, String tag) {
            this.status = status;
            this.tag = tag;
        }
    }

    /** Thrown by {@link #reserve} when a limit is reached; carries no stack trace (it is an answer, not a bug). */
    public static final class LimitReached extends Exception {
        private final Refusal refusal;

        LimitReached(Refusal refusal) {
            super("viewer limit reached: " + refusal.tag, null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }

        public int status() {
            return refusal.status;
        }
    }

    /** Where the upgrade check leaves the reservation for the socket that opens. */
    static final TypedKey<ViewerSlot> SLOT = new TypedKey<>("picam.viewer-slot");
    /** A socket opens within milliseconds of its upgrade; one that has not after this never will. */
    static final long OPEN_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final int perUser;
    private final int total;
    private final Map<String, Integer> byUser = new HashMap<>(); // guarded by this
    private int held; // guarded by this
    private final Set<ViewerSlot> unopened = ConcurrentHashMap.newKeySet();
    private final LongAdder refusedPerUser = new LongAdder();
    private final LongAdder refusedTotal = new LongAdder();

    @Inject
    public ViewerLimits(RelayConfig config) {
        this(config.viewer().maxPerUser(), config.viewer().maxTotal());
    }

    ViewerLimits(int perUser, int total) {
        this.perUser = perUser;
        this.total = total;
    }

    /**
     * A place for {@code username}'s socket on {@code connection} (null in unit tests), given back when that
     * connection closes. A lock, not atomics: upgrades are rare next to media, and both counts move together.
     */
    public ViewerSlot reserve(String username, HttpConnection connection) throws LimitReached {
        return reserve(username, perUser, connection);
    }

    /**
     * A place for a socket counted under {@code key} with its own limit instead of the per-user one: a share link's
     * sockets count together, up to the link's {@code maxViewers}.
     */
    public ViewerSlot reserve(String key, int limit, HttpConnection connection) throws LimitReached {
        String user = key.toLowerCase(Locale.ROOT);
        synchronized (this) {
            if (held >= total) {
                refusedTotal.increment();
                throw new LimitReached(Refusal.TOTAL);
            }
            int mine = byUser.getOrDefault(user, 0);
            if (mine >= limit) {
                refusedPerUser.increment();
                throw new LimitReached(Refusal.PER_USER);
            }
            byUser.put(user, mine + 1);
            held++;
        }
        ViewerSlot slot = new ViewerSlot(user, connection, System.nanoTime());
        unopened.add(slot);
        if (connection instanceof ConnectionBase base) {
            // completes at once if the client is already gone
            base.closeFuture().onComplete(closed -> release(slot));
        }
        return slot;
    }

    /** The socket opened: false when its place was already given back (it opened after the deadline). */
    boolean opened(ViewerSlot slot) {
        return unopened.remove(slot);
    }

    /** Gives the place back; again is harmless. */
    void release(ViewerSlot slot) {
        unopened.remove(slot);
        if (!slot.markReleased()) {
            return;
        }
        synchronized (this) {
            byUser.computeIfPresent(slot.user(), (user, n) -> n <= 1 ? null : n - 1);
            held--;
        }
    }

    /** Housekeeping: places reserved by upgrades that never became a socket go back. */
    void expireUnopened(long nowNanos) {
        for (ViewerSlot slot : unopened) {
            if (nowNanos - slot.reservedAtNanos() > OPEN_DEADLINE_NANOS && unopened.remove(slot)) {
                release(slot);
            }
        }
    }

    /** The per-user limit: a share link without its own limit has this one. */
    public int perUser() {
        return perUser;
    }

    synchronized int held() {
        return held;
    }

    synchronized int heldBy(String username) {
        return byUser.getOrDefault(username.toLowerCase(Locale.ROOT), 0);
    }

    long refused(Refusal refusal) {
        return (refusal == Refusal.PER_USER ? refusedPerUser : refusedTotal).sum();
    }
}
