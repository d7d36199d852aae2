package io.picam.relay.live;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * What a decoder needs for the latest picture of a stream: the init segment (fMP4; null for MPEG-TS) and the
 * bytes since the latest join point, the first of which starts there. The buffers are shared, never written to.
 */
public record JoinPointBytes(Buffer init, List<Buffer> chunks) {

    /** The bytes in one array: init first, then the chunks. */
    public byte[] toArray() {
        Buffer all = Buffer.buffer();
        if (init != null) {
            all.appendBuffer(init);
        }
        chunks.forEach(all::appendBuffer);
        return all.getBytes();
    }

    /** The chunk at the join point: the same object for as long as no newer join point arrived. */
    public Buffer joinPoint() {
        return chunks.get(0);
    }
}
