package io.picam.relay.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs every message an instance publishes on Redis and checks every one it receives, so that whoever else can
 * publish there (a leaked {@code REDIS_URL}, a shared Redis) can neither inject media nor cut a publisher. A
 * signed message is the message followed by a trailer: the sending time (ms), an HMAC-SHA256 and a marker. The
 * MAC covers the channel name (a message cannot be replayed to another channel), the message and the time (an
 * old one, e.g. a {@code rotated}, is refused after {@link #MAX_AGE_MILLIS}).
 *
 * <p>The key is derived from the session key, which every instance shares already; the session key itself never
 * signs anything, so a MAC seen on Redis tells nothing about login cookies.
 */
final class MessageSigner {

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] LABEL = "picam cluster v1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAC_LENGTH = 32;
    /** "PCS1": tells a signed message from one of an older instance or a stranger (unsigned). */
    private static final int MARKER = 0x50435331;
    /** Bytes a signature adds to a message: time, MAC, marker. */
    static final int TRAILER = Long.BYTES + MAC_LENGTH + Integer.BYTES;
    /** Older than this, a message is a replay or came through a Redis far behind: refused. */
    static final long MAX_AGE_MILLIS = 30_000;
    /** Clocks of instances differ a little: a message this far from the future is still taken. */
    static final long MAX_AHEAD_MILLIS = 5_000;

    /** Why a message was refused; the tag is the metric's {@code reason}. */
    enum Rejection {
        UNSIGNED("unsigned"),
        BAD_SIGNATURE("bad-signature"),
        STALE("stale"),
        REPLAYED("replayed");

        final String tag;

        Rejection(String tag) {
            this.tag = tag;
        }
    }

    /** A refused message. Without a stack trace: a flood of forgeries must stay cheap to turn away. */
    static final class Rejected extends Exception {
        private final Rejection reason;

        Rejected(Rejection reason) {
            super(reason.tag, null, false, false);
            this.reason = reason;
        }

        Rejection reason() {
            return reason;
        }
    }

    private final SecretKeySpec key;
    private final LongSupplier clock;
    /** A Mac is not thread-safe and costly to make: one per thread (event loops, ingest workers), reused. */
    private final ThreadLocal<Mac> macs;
    /**
     * The MACs of the messages accepted lately: each message reaches an instance once, so a second copy within the
     * freshness window is a replay (a recorded "rotated" or "publisher" sent again to cut a camera). Only authentic
     * messages get in, so its size follows real traffic; older entries are refused as stale anyway.
     */
    private final Cache<ByteBuffer, Boolean> seen = Caffeine.newBuilder()
            .maximumSize(500_000)
            .expireAfterWrite(Duration.ofMillis(MAX_AGE_MILLIS + MAX_AHEAD_MILLIS))
            .build();

    MessageSigner(String sessionKey, LongSupplier clock) {
        if (sessionKey == null || sessionKey.isBlank()) {
            throw new IllegalStateException("Scale-out through Redis needs QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY, "
                    + "the same on every instance: cluster messages are signed with a key derived from it");
        }
        this.key = new SecretKeySpec(
                hmac(new SecretKeySpec(sessionKey.getBytes(StandardCharsets.UTF_8), ALGORITHM), LABEL), ALGORITHM);
        this.clock = clock;
        this.macs = ThreadLocal.withInitial(() -> newMac(key));
    }

    /** Appends the trailer to {@code message} (which grows in place: leave it room) and returns it. */
    Buffer sign(String channel, Buffer message) {
        long now = clock.getAsLong();
        byte[] mac = mac(channel, message, message.length(), now);
        return message.appendLong(now).appendBytes(mac).appendInt(MARKER);
    }

    /** The message without its trailer, when it was signed with this key for this channel lately. */
    Buffer verify(String channel, Buffer signed) throws Rejected {
        int length = signed.length() - TRAILER;
        if (length < 0 || signed.getInt(signed.length() - Integer.BYTES) != MARKER) {
            throw new Rejected(Rejection.UNSIGNED);
        }
        long sentAt = signed.getLong(length);
        byte[] expected = mac(channel, signed, length, sentAt);
        byte[] actual = signed.getBytes(length + Long.BYTES, length + Long.BYTES + MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new Rejected(Rejection.BAD_SIGNATURE);
        }
        long age = clock.getAsLong() - sentAt;
        if (age > MAX_AGE_MILLIS || age < -MAX_AHEAD_MILLIS) {
            throw new Rejected(Rejection.STALE);
        }
        if (seen.asMap().putIfAbsent(ByteBuffer.wrap(actual), Boolean.TRUE) != null) {
            throw new Rejected(Rejection.REPLAYED);
        }
        return signed.slice(0, length);
    }

    /** Over the channel (length-prefixed: no two channel/message splits give the same input), the bytes, the time. */
    private byte[] mac(String channel, Buffer message, int length, long sentAt) {
        Mac mac = macs.get();
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(0, name.length));
        mac.update(name);
        mac.update(message.getByteBuf().nioBuffer(0, length)); // the bytes where they are, not a copy
        mac.update(ByteBuffer.allocate(Long.BYTES).putLong(0, sentAt));
        return mac.doFinal();
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        return newMac(key).doFinal(data);
    }
}
