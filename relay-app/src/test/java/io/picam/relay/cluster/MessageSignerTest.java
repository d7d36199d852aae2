package io.picam.relay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** What an instance accepts from Redis: only what an instance with the same session key sent lately, on that channel. */
class MessageSignerTest {

    private static final String KEY = "the-shared-session-key-0123456789";
    private static final String CHANNEL = MediaBridge.MEDIA + "cam1";
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final MessageSigner signer = new MessageSigner(KEY, now::get);

    @Test
    void aSignedMessageComesBackAsItWasSent() throws Exception {
        Buffer media = MediaMessage.segment(7L, 42L, 1001L, 0, Buffer.buffer("some media bytes"));
        Buffer sent = media.copy();
        Buffer signed = signer.sign(CHANNEL, media);
        assertThat(signed.length()).isEqualTo(sent.length() + MessageSigner.TRAILER);

        now.addAndGet(2_000); // Redis and the network took a while
        Buffer received = new MessageSigner(KEY, now::get).verify(CHANNEL, signed.copy());
        assertThat(received).isEqualTo(sent);
        assertThat(MediaMessage.parse(received).payload().toString()).isEqualTo("some media bytes");
        // as Redis hands it over: a slice of a bigger buffer
        Buffer inReply =
                Buffer.buffer("*3\r\n$7\r\nmessage").appendBuffer(signed).appendString("\r\n");
        assertThat(signer.verify(CHANNEL, inReply.slice(15, 15 + signed.length())))
                .isEqualTo(sent);
    }

    @Test
    void aMessageWithAnyByteChangedIsRefused() {
        Buffer signed = signer.sign(CHANNEL, Buffer.buffer("{\"t\":\"rotated\",\"s\":\"cam1\"}"));
        for (int i = 0; i < signed.length(); i++) {
            Buffer tampered = signed.copy();
            tampered.setByte(i, (byte) (tampered.getByte(i) ^ 0x01));
            assertThatThrownBy(() -> signer.verify(CHANNEL, tampered))
                    .as("byte %d changed", i)
                    .isInstanceOf(MessageSigner.Rejected.class);
        }
    }

    @Test
    void aMessageSignedForOneChannelIsRefusedOnAnother() {
        Buffer signed = signer.sign(MediaBridge.MEDIA + "cam1", Buffer.buffer("media of cam1"));
        assertRejected(MediaBridge.MEDIA + "cam2", signed, MessageSigner.Rejection.BAD_SIGNATURE);
        assertRejected(RedisCluster.CONTROL, signed, MessageSigner.Rejection.BAD_SIGNATURE);
    }

    @Test
    void aMessageSignedWithAnotherSessionKeyIsRefused() {
        Buffer forged =
                new MessageSigner("another-session-key-0123456789ab", now::get).sign(CHANNEL, Buffer.buffer("x"));
        assertRejected(CHANNEL, forged, MessageSigner.Rejection.BAD_SIGNATURE);
    }

    @Test
    void anUnsignedMessageIsRefusedWhateverItsLength() {
        assertRejected(
                RedisCluster.CONTROL,
                Buffer.buffer("{\"t\":\"rotated\",\"s\":\"cam1\",\"from\":\"1\"}"),
                MessageSigner.Rejection.UNSIGNED);
        assertRejected(
                CHANNEL,
                MediaMessage.segment(7L, 42L, 1L, 0, Buffer.buffer("injected")),
                MessageSigner.Rejection.UNSIGNED);
        assertRejected(CHANNEL, Buffer.buffer(), MessageSigner.Rejection.UNSIGNED);
    }

    @Test
    void anOldMessageIsRefusedAsAReplayAndOneFromTheNearFutureIsTaken() throws Exception {
        Buffer signed = signer.sign(RedisCluster.CONTROL, Buffer.buffer("{\"t\":\"rotated\",\"s\":\"cam1\"}"));
        now.addAndGet(MessageSigner.MAX_AGE_MILLIS);
        assertThat(anotherInstance().verify(RedisCluster.CONTROL, signed.copy()))
                .isNotNull();
        now.addAndGet(1);
        assertRejected(RedisCluster.CONTROL, signed, MessageSigner.Rejection.STALE);

        // the sender's clock a little ahead is fine; far ahead (or a message kept for later) is not
        now.set(1_700_000_000_000L - MessageSigner.MAX_AHEAD_MILLIS);
        assertThat(anotherInstance().verify(RedisCluster.CONTROL, signed.copy()))
                .isNotNull();
        now.addAndGet(-1);
        assertRejected(RedisCluster.CONTROL, signed, MessageSigner.Rejection.STALE);
    }

    @Test
    void aMessageTakenOnceIsRefusedWhenItComesAgainWithinItsWindow() throws Exception {
        // a recorded "rotated" sent again would cut the camera that just came back with its new secret
        Buffer signed = signer.sign(RedisCluster.CONTROL, Buffer.buffer("{\"t\":\"rotated\",\"s\":\"cam1\"}"));
        MessageSigner receiver = anotherInstance();
        assertThat(receiver.verify(RedisCluster.CONTROL, signed.copy())).isNotNull();
        now.addAndGet(1_000);
        assertThatThrownBy(() -> receiver.verify(RedisCluster.CONTROL, signed.copy()))
                .isInstanceOfSatisfying(
                        MessageSigner.Rejected.class,
                        e -> assertThat(e.reason()).isEqualTo(MessageSigner.Rejection.REPLAYED));
        // the same words sent anew are a new message
        assertThat(receiver.verify(
                        RedisCluster.CONTROL,
                        signer.sign(RedisCluster.CONTROL, Buffer.buffer("{\"t\":\"rotated\",\"s\":\"cam1\"}"))))
                .isNotNull();
    }

    private MessageSigner anotherInstance() {
        return new MessageSigner(KEY, now::get);
    }

    @Test
    void theSessionKeyIsNeverTheSigningKey() {
        // a MAC seen on Redis must not be one under the login cookies' key
        Buffer signed = signer.sign(CHANNEL, Buffer.buffer("x"));
        byte[] mac = signed.getBytes(1 + Long.BYTES, 1 + Long.BYTES + 32);
        assertThat(mac).isNotEqualTo(plainHmac(KEY, CHANNEL, "x", now.get()));
    }

    @Test
    void refusalsAreCountedByReason() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        RejectedMessages rejected = new RejectedMessages(metrics, now::get);
        rejected.count(CHANNEL, MessageSigner.Rejection.UNSIGNED);
        rejected.count(CHANNEL, MessageSigner.Rejection.UNSIGNED);
        rejected.count(CHANNEL, MessageSigner.Rejection.STALE);
        assertThat(metrics.get("picam.cluster.messages.rejected")
                        .tag("reason", "unsigned")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(metrics.get("picam.cluster.messages.rejected")
                        .tag("reason", "stale")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(metrics.get("picam.cluster.messages.rejected")
                        .tag("reason", "bad-signature")
                        .counter()
                        .count())
                .isZero();
    }

    @Test
    void withoutASessionKeyThereIsNoScaleOut() {
        assertThatThrownBy(() -> new MessageSigner(" ", now::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY");
    }

    private void assertRejected(String channel, Buffer message, MessageSigner.Rejection reason) {
        assertThatThrownBy(() -> signer.verify(channel, message))
                .isInstanceOfSatisfying(
                        MessageSigner.Rejected.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }

    /** The MAC as it would be with the session key used directly (what the derivation avoids). */
    private static byte[] plainHmac(String key, String channel, String body, long sentAt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] name = channel.getBytes(StandardCharsets.UTF_8);
            mac.update(ByteBuffer.allocate(4).putInt(0, name.length));
            mac.update(name);
            mac.update(body.getBytes(StandardCharsets.UTF_8));
            mac.update(ByteBuffer.allocate(8).putLong(0, sentAt));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
