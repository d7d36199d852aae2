package io.picam.relay.cluster;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * Messages as someone else with access to Redis would publish them, for the scale-out test: in the cluster's own
 * formats, unsigned or signed with a key that is not the instances'.
 */
public final class ClusterForgery {

    public static final String CONTROL = RedisCluster.CONTROL;

    private ClusterForgery() {
    }

    public static String mediaChannel(String streamId) {
        return RedisCluster.MEDIA + streamId;
    }

    /** A media segment that claims to be a join point of a new publisher, in the cluster's message format. */
    public static byte[] mediaSegment(byte[] bytes) {
        return MediaMessage.segment(42L, 4242L, 0L, io.picam.relay.live.ClusterLink.JOIN_POINT, Buffer.buffer(bytes)).getBytes();
    }

    /** A control message, e.g. {@code {"t":"rotated","s":"<stream>"}}, as JSON. */
    public static byte[] control(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The message signed as an instance with {@code sessionKey} would sign it for {@code channel}. */
    public static byte[] signed(String sessionKey, String channel, byte[] message) {
        return new MessageSigner(sessionKey, System::currentTimeMillis).sign(channel, Buffer.buffer(message)).getBytes();
    }
}
