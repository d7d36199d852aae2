package io.picam.relay.cluster;

import io.picam.relay.cluster.ControlMessage.PublisherStartedMessage;
import io.picam.relay.cluster.ControlMessage.SecretRotatedMessage;
import io.picam.relay.cluster.ControlMessage.StreamDeletedMessage;
import io.picam.relay.live.ClusterLink;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.stream.Stream;

/**
 * Messages as someone else with access to Redis would publish them, for the scale-out test: in the cluster's own
 * formats, unsigned or signed with a key that is not the instances'.
 */
public final class ClusterForgery {

    public static final String CONTROL = RedisCluster.CONTROL;

    private ClusterForgery() {}

    public static String mediaChannel(String streamId) {
        return MediaBridge.MEDIA + streamId;
    }

    /** A media segment that claims to be a join point of a new publisher, in the cluster's message format. */
    public static byte[] mediaSegment(byte[] bytes) {
        return MediaMessage.segment(42L, 4242L, 0L, ClusterLink.JOIN_POINT, Buffer.buffer(bytes))
                .getBytes();
    }

    /**
     * Control messages that would cut the stream's camera if an instance took them (rotated, publisher elsewhere,
     * deleted), as JSON in the cluster's own format, from an instance that does not exist.
     */
    public static List<byte[]> cuttingControlMessages(String streamId) {
        return Stream.of(
                        new SecretRotatedMessage(streamId),
                        new PublisherStartedMessage(streamId),
                        new StreamDeletedMessage(streamId))
                .map(message -> new ControlEnvelope("f00d", message).toJson().getBytes())
                .toList();
    }

    /** The message signed as an instance with {@code sessionKey} would sign it for {@code channel}. */
    public static byte[] signed(String sessionKey, String channel, byte[] message) {
        return new MessageSigner(sessionKey, System::currentTimeMillis)
                .sign(channel, Buffer.buffer(message))
                .getBytes();
    }
}
