package io.picam.relay.live;

import io.picam.relay.account.Credential;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One viewer's WebSocket, with its own bound on bytes in flight. A viewer that cannot keep up skips
 * whole segments until the next join point (it never makes the relay hold more than the bound, and
 * never slows anyone else); one that makes no progress for the stall timeout is closed. Its bytes in
 * flight beyond the newest eighth of its queue limit also count against the relay's {@link HeldBytesBudget}
 * (see {@link #charged}).
 * Everything but the byte counters runs on the connection's own event loop (see {@link ViewerGroups}).
 */
public final class Viewer implements HeldBytesBudget.Holder {

    /** Time a closed viewer has to read its close frame before its connection is cut. */
    private static final long CLOSE_GRACE_MILLIS = 5000;

    /** A viewer whose socket wrote something this recently counts as keeping up (see {@link HeldBytesBudget}). */
    static final long KEEPS_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final WebSocketConnection connection;
    private final MediaFrameWriter media;
    private final long queueLimit;
    private final long uncharged;
    private final HeldBytesBudget budget;
    private final ViewerSlot slot;
    // payload bytes written to the channel and not yet seen leave it; written on the event loop only (settle, send)
    private volatile long pending;
    private final Context context;
    private volatile long lastProgressNanos = System.nanoTime();
    // set on the event loop, read by the budget's plan
    private volatile long budgetSkippedAt = HeldBytesBudget.NOT_SKIPPED;
    private boolean waitingForJoinPoint = true;
    private volatile boolean closing; // no media after the close frame; set from wherever the close is decided
    private boolean lagging; // waiting for a join point because the queue overflowed
    // the latest init segment (fmp4) and its announcement, until this viewer takes a join point
    private String pendingAnnouncement;
    private MediaFrame pendingInit;
    // written on the connection's event loop only, read from anywhere
    private volatile long skippedSegments;
    private volatile long sentBytes;

    /**
     * Made on the connection's own event loop (in {@code @OnOpen}), whose context it keeps. Text messages and the
     * close go through {@code connection}, media frames through {@code media}, the same socket's Netty channel.
     */
    Viewer(
            WebSocketConnection connection,
            MediaFrameWriter media,
            long queueLimit,
            HeldBytesBudget budget,
            ViewerSlot slot) {
        this(connection, media, queueLimit, queueLimit / 8, budget, slot);
    }

    /** As above, with the bytes in flight not charged to the budget given ({@link #charged}). */
    Viewer(
            WebSocketConnection connection,
            MediaFrameWriter media,
            long queueLimit,
            long uncharged,
            HeldBytesBudget budget,
            ViewerSlot slot) {
        this.connection = connection;
        this.media = media;
        this.queueLimit = queueLimit;
        this.uncharged = uncharged;
        this.budget = budget;
        this.slot = slot;
        Context current = Vertx.currentContext();
        if (current == null) {
            throw new IllegalStateException("a Viewer is made on its connection's event loop");
        }
        // the event loop's own context, not the per-callback duplicate, so that viewers on one loop share it
        this.context = ((ContextInternal) current).unwrap();
        media.whenClosed(this::settle); // the connection is gone: what it still held goes back to the budget
    }

    Context context() {
        return context;
    }

    public String id() {
        return connection.id();
    }

    /** Who is watching, as the upgrade check authenticated them. */
    public String username() {
        return connection.userData().get(ViewerUpgradeCheck.USER);
    }

    /** The session or token the socket was opened with ({@code "s:12"}, {@code "t:7"}), or "" when unknown. */
    public String credential() {
        Credential c = connection.userData().get(ViewerUpgradeCheck.CREDENTIAL);
        return c == null ? "" : c.key();
    }

    /** True once the session or token that opened the socket is past its lifetime. */
    boolean credentialExpired(Instant now) {
        Credential c = connection.userData().get(ViewerUpgradeCheck.CREDENTIAL);
        return c != null && !now.isBefore(c.expiresAt());
    }

    void sendText(String json) {
        connection.sendText(json).subscribe().with(ok -> {}, err -> {});
    }

    /** Offers a frame; written to the channel, but not flushed until {@link #flush}. */
    void offer(MediaFrame chunk, boolean joinPoint) {
        // the channel's own state, not WebSockets Next's isClosed(), which takes a lock on every call
        settle();
        if (closing || !media.isOpen()) {
            return; // a delivery made before it left: nothing to send, nothing to hold
        }
        if (waitingForJoinPoint) {
            // resume only at a join point and once the backlog has mostly drained (all of it, when the budget said so)
            long backlogAllowed = budgetSkippedAt == HeldBytesBudget.NOT_SKIPPED ? queueLimit / 2 : 0;
            if (!joinPoint || pending > backlogAllowed) {
                if (lagging) {
                    skippedSegments++; // only what it lost by being slow, not the wait for a first join point
                }
                return;
            }
            waitingForJoinPoint = false;
            lagging = false;
            budgetSkippedAt = HeldBytesBudget.NOT_SKIPPED;
            if (pendingAnnouncement != null) {
                sendText(pendingAnnouncement);
                pendingAnnouncement = null;
            }
            if (pendingInit != null) {
                long charge = charged(pending + pendingInit.length()) - charged(pending);
                budget.take(charge);
                send(pendingInit, charge); // never skipped: without it nothing after it decodes
                pendingInit = null;
            }
        }
        long queued = pending;
        // an empty queue takes any segment, so one larger than the bound cannot block a viewer forever
        if (queued > 0 && queued + chunk.length() > queueLimit) {
            fallBehind();
            return;
        }
        // keeping up: nothing held, or the socket wrote something within the last moment (a stalled one has not)
        boolean keepsUp = queued == 0 || System.nanoTime() - lastProgressNanos < KEEPS_UP_NANOS;
        long charge = charged(queued + chunk.length()) - charged(queued);
        if (charge > 0 && !budget.tryTake(charge, charged(queued), keepsUp)) {
            yieldToBudget();
            skippedSegments++;
            return;
        }
        send(chunk, charge);
    }

    /**
     * What {@code inFlight} bytes of this viewer cost the budget: all but the newest {@code uncharged} (an eighth of
     * the queue limit). Every viewer's socket is handed the same frame, never a copy ({@link MediaFrame}), so the
     * bytes a viewer near live has in flight are the stream's newest frames, which all such viewers share: a thousand
     * viewers catching up after a pause (a garbage collection, a busy moment) hold one stream's last few frames, not
     * a thousand times those. Counting them a thousand times made the budget, already filled by sockets that stopped
     * reading, refuse healthy viewers after such a pause (a lost second of video each, seen in the fan-out benchmark).
     * A viewer that falls further behind holds frames of its own, and is charged for them.
     */
    private long charged(long inFlight) {
        return Math.max(0, inFlight - uncharged);
    }

    private void fallBehind() {
        waitingForJoinPoint = true;
        lagging = true;
        skippedSegments++;
    }

    /**
     * The relay holds too much for its viewers: this one takes no new bytes until its backlog drained completely and a
     * join point comes. Runs on the viewer's event loop.
     */
    void yieldToBudget() {
        if (budgetSkippedAt == HeldBytesBudget.NOT_SKIPPED) {
            budgetSkippedAt = System.nanoTime();
            budget.skipped();
        }
        waitingForJoinPoint = true;
        lagging = true;
    }

    @Override
    public long budgetSkippedAt() {
        return budgetSkippedAt;
    }

    /** After a publisher change the old bytes and the new ones do not join up; start again at a join point. */
    void awaitJoinPoint() {
        waitingForJoinPoint = true;
    }

    /**
     * A new fMP4 init segment: it goes out, after {@code announcement} (a text message, or null), right
     * before the next join point this viewer takes, so the player can set up its decoder first.
     */
    void offerInit(String announcement, MediaFrame init) {
        pendingAnnouncement = announcement;
        pendingInit = init;
        waitingForJoinPoint = true;
    }

    /** Sends a frame whose {@code charge} was already taken from the budget. */
    private void send(MediaFrame chunk, long charge) {
        int length = chunk.length();
        MediaFrameWriter.Outcome outcome = media.write(chunk);
        if (outcome != MediaFrameWriter.Outcome.QUEUED) {
            // written at once (nothing is held, no clock to read), or the connection closed (nothing was queued)
            budget.give(charge);
            if (outcome == MediaFrameWriter.Outcome.LEFT) {
                sentBytes += length;
            }
            return;
        }
        if (pending == 0) {
            lastProgressNanos = System.nanoTime(); // the stall clock starts when the queue becomes non-empty
        }
        pending += length;
        sentBytes += length;
    }

    /**
     * Takes note of what left the channel since the last look (written to the socket, or dropped with the connection):
     * those bytes are no longer held, and leaving is progress. Runs on the event loop: before every offer, every
     * second for every viewer (so that a viewer whose stream went quiet is up to date too), and once its connection
     * closed.
     */
    void settle() {
        long left = media.drained();
        if (left > 0) {
            long before = pending;
            pending -= left;
            budget.give(charged(before) - charged(pending));
            lastProgressNanos = System.nanoTime();
        }
    }

    /** Sends what {@link #offer} wrote since the last flush: once per delivery pass, not once per frame. */
    void flush() {
        media.flush();
    }

    /** True when bytes have been waiting without any progress for longer than the timeout. */
    boolean stalledFor(long timeoutNanos, long nowNanos) {
        return pending > 0 && nowNanos - lastProgressNanos > timeoutNanos;
    }

    /**
     * Closes the socket with {@code reason}, and cuts its connection if the client has not read its way to the close
     * frame within a few seconds: until then, what is queued for a client that stopped reading stays held.
     */
    void close(CloseReason reason) {
        closing = true;
        connection.close(reason).subscribe().with(ok -> {}, err -> {});
        context.owner().setTimer(CLOSE_GRACE_MILLIS, id -> slot.cut());
    }

    /** The stream this viewer watches. */
    String streamId() {
        return connection.pathParam("streamId");
    }

    /**
     * Bytes handed to the socket and not yet written out: what the relay holds for this viewer, as of the last
     * {@link #settle} (at most about a second ago).
     */
    public long pendingBytes() {
        return pending;
    }

    /** What this viewer's bytes in flight cost the relay's budget (see {@link #charged}), as of the last settle. */
    @Override
    public long chargedBytes() {
        return charged(pending);
    }

    public long skippedSegments() {
        return skippedSegments;
    }

    long sentBytes() {
        return sentBytes;
    }
}
