package io.picam.relay.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;

/**
 * One media segment as a complete WebSocket binary frame, header and payload, encoded once for all of its viewers:
 * a server's frames are not masked, so the bytes on the wire are the same for every one of them. Every viewer's
 * socket is handed a retained duplicate of these bytes (see {@link MediaFrameWriter}), never a copy, so the frame's
 * reference count is one plus the writes still holding it.
 *
 * <p>The bytes are direct (off-heap) memory: from a heap buffer, Netty would copy them into a direct buffer again for
 * every single viewer. That memory is a JDK ByteBuffer, freed by the garbage collector when the hub, its join-point
 * cache, the cluster feed and the last write let go of it, so no path has to remember to release it.
 */
final class MediaFrame {

    private static final byte FIN_BINARY = (byte) 0x82;

    private final ByteBuf encoded;
    private final ByteBuffer wire; // the same memory as the JDK sees it, for writes straight to a socket
    private final int headerLength;

    private MediaFrame(ByteBuffer direct, int headerLength) {
        this.encoded = Unpooled.wrappedBuffer(direct);
        this.wire = direct.asReadOnlyBuffer();
        this.headerLength = headerLength;
    }

    /** The segment's bytes as one final, unmasked binary frame (RFC 6455 section 5.2), copied once. */
    static MediaFrame binary(byte[] payload) {
        int length = payload.length;
        int headerLength = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuffer direct = ByteBuffer.allocateDirect(headerLength + length); // big-endian: network order
        direct.put(FIN_BINARY);
        if (length < 126) {
            direct.put((byte) length);
        } else if (length <= 0xFFFF) {
            direct.put((byte) 126).putShort((short) length);
        } else {
            direct.put((byte) 127).putLong(length);
        }
        direct.put(payload).flip();
        return new MediaFrame(direct, headerLength);
    }

    /** Payload bytes: what viewers' queues, the held-bytes budget and the delivered-bytes counters count. */
    int length() {
        return encoded.readableBytes() - headerLength;
    }

    /** The whole frame for one more write: the same memory, with its own indexes and one more reference. */
    ByteBuf retainedBytes() {
        return encoded.retainedDuplicate();
    }

    /**
     * The whole frame as a JDK buffer of its own position and limit over the same memory (no copy), for a write
     * straight to a socket; one small object, made once per event loop and frame by {@link MediaFrameWriter}.
     */
    ByteBuffer wireView() {
        return wire.duplicate();
    }

    /** Bytes on the wire: header and payload. */
    int wireLength() {
        return wire.limit();
    }

    /** The whole encoded frame, shared; not to be modified or released. */
    ByteBuf bytes() {
        return encoded;
    }

    /** The segment's bytes alone (for the cluster feed and snapshots), sharing the frame's memory. */
    Buffer payload() {
        return Buffer.buffer(encoded.slice(headerLength, length()));
    }
}
