package io.picam.relay.live;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.picam.relay.account.Credential;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;

/**
 * One viewer's WebSocket, with its own bound on bytes in flight. A viewer that cannot keep up skips
 * whole segments until the next join point (it never makes the relay hold more than the bound, and
 * never slows anyone else); one that makes no progress for the stall timeout is closed.
 * Everything but the byte counters runs on the connection's own event loop (see {@link ViewerGroups}).
 */
public final class Viewer {

    private final WebSocketConnection connection;
    private final long queueLimit;
    private final AtomicLong pending = new AtomicLong();
    private final Context context;
    private volatile long lastProgressNanos = System.nanoTime();
    private boolean waitingForJoinPoint = true;
    private boolean lagging; // waiting for a join point because the queue overflowed
    // the latest init segment (fmp4) and its announcement, until this viewer takes a join point
    private String pendingAnnouncement;
    private Buffer pendingInit;
    // written on the connection's event loop only, read from anywhere
    private volatile long skippedSegments;
    private volatile long sentBytes;

    /** Made on the connection's own event loop (in {@code @OnOpen}), whose context it keeps. */
    public Viewer(WebSocketConnection connection, long queueLimit) {
        this.connection = connection;
        this.queueLimit = queueLimit;
        Context current = Vertx.currentContext();
        if (current == null) {
            throw new IllegalStateException("a Viewer is made on its connection's event loop");
        }
        // the event loop's own context, not the per-callback duplicate, so that viewers on one loop share it
        this.context = ((ContextInternal) current).unwrap();
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
        connection.sendText(json).subscribe().with(ok -> { }, err -> { });
    }

    void offer(Buffer chunk, boolean joinPoint) {
        if (waitingForJoinPoint) {
            // resume only at a join point and once the backlog has mostly drained
            if (!joinPoint || pending.get() > queueLimit / 2) {
                if (lagging) {
                    skippedSegments++; // only what it lost by being slow, not the wait for a first join point
                }
                return;
            }
            waitingForJoinPoint = false;
            lagging = false;
            if (pendingAnnouncement != null) {
                sendText(pendingAnnouncement);
                pendingAnnouncement = null;
            }
            if (pendingInit != null) {
                send(pendingInit); // never skipped: without it nothing after it decodes
                pendingInit = null;
            }
        }
        long queued = pending.get();
        // an empty queue takes any segment, so one larger than the bound cannot block a viewer forever
        if (queued > 0 && queued + chunk.length() > queueLimit) {
            waitingForJoinPoint = true;
            lagging = true;
            skippedSegments++;
            return;
        }
        send(chunk);
    }

    /** After a publisher change the old bytes and the new ones do not join up; start again at a join point. */
    void awaitJoinPoint() {
        waitingForJoinPoint = true;
    }

    /**
     * A new fMP4 init segment: it goes out, after {@code announcement} (a text message, or null), right
     * before the next join point this viewer takes, so the player can set up its decoder first.
     */
    void offerInit(String announcement, Buffer init) {
        pendingAnnouncement = announcement;
        pendingInit = init;
        waitingForJoinPoint = true;
    }

    private void send(Buffer chunk) {
        int length = chunk.length();
        if (pending.getAndAdd(length) == 0) {
            lastProgressNanos = System.nanoTime(); // the stall clock starts when the queue becomes non-empty
        }
        sentBytes += length;
        connection.sendBinary(chunk).subscribe().with(ok -> drained(length), err -> drained(length));
    }

    private void drained(int length) {
        pending.addAndGet(-length);
        lastProgressNanos = System.nanoTime();
    }

    /** True when bytes have been waiting without any progress for longer than the timeout. */
    boolean stalledFor(long timeoutNanos, long nowNanos) {
        return pending.get() > 0 && nowNanos - lastProgressNanos > timeoutNanos;
    }

    void close(CloseReason reason) {
        connection.close(reason).subscribe().with(ok -> { }, err -> { });
    }

    /** Bytes handed to the socket and not yet written out: what the relay holds for this viewer. */
    public long pendingBytes() {
        return pending.get();
    }

    public long skippedSegments() {
        return skippedSegments;
    }

    long sentBytes() {
        return sentBytes;
    }
}
