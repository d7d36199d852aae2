package io.picam.media.ts;

import io.picam.media.ContainerFramer;
import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import java.util.List;
import java.util.Objects;

/**
 * Frames an MPEG-TS byte stream into whole 188-byte packets and marks the packets where a viewer can
 * start decoding (see {@link #isJoinPointPacket}).
 *
 * <p>Output bytes are the input bytes in order, minus garbage discarded while (re)acquiring sync.
 * Sync is confirmed by a 0x47 sync byte at three consecutive packet boundaries. At the start of the
 * stream it must be found within the first 1024 bytes; after a loss of sync (a boundary without
 * 0x47) up to {@code maxResyncBytes} bytes are discarded before the stream is rejected.
 *
 * <p>Once in sync, a packet is accepted on its first byte alone, so that nothing is held back
 * waiting for the next packet: a torn packet that still starts with 0x47 passes through, and the
 * loss of sync is noticed (and repaired) at the following boundary.
 *
 * <p>Not thread-safe. After a {@link MediaFormatException} the framer stays failed.
 */
public final class TsFramer implements ContainerFramer {

    /** Size of one transport stream packet. */
    public static final int PACKET_SIZE = 188;

    private static final byte SYNC_BYTE = 0x47;
    private static final int DEFAULT_MAX_RESYNC_BYTES = PACKET_SIZE * 16;
    private static final int ACQUIRE_WINDOW = 1024;
    private static final int CONFIRMING_BOUNDARIES = 3;
    /** The most that can wait for more input: a candidate sync position and the two packets after it. */
    private static final int MAX_KEPT = (CONFIRMING_BOUNDARIES - 1) * PACKET_SIZE;

    private enum Verdict {
        CONFIRMED,
        REJECTED,
        UNDECIDED
    }

    private final int maxResyncBytes;
    private final byte[] kept = new byte[MAX_KEPT];
    private int keptLength;
    /** Stream offset of {@code kept[0]}, i.e. of the first byte not yet consumed. */
    private long keptOffset;

    private boolean acquired;
    private boolean inSync;
    /** Bytes discarded since sync was lost, or since the start while not yet acquired. */
    private long garbageRun;

    private long syncLostAt;
    private long discardedBytes;
    private long packets;
    private String failure;

    /** A framer that tolerates up to 16 packets' worth of garbage per loss of sync. */
    public TsFramer() {
        this(DEFAULT_MAX_RESYNC_BYTES);
    }

    /** @param maxResyncBytes garbage bytes tolerated per loss of sync mid-stream, at least 0 */
    public TsFramer(int maxResyncBytes) {
        if (maxResyncBytes < 0) {
            throw new IllegalArgumentException("maxResyncBytes must be >= 0, was " + maxResyncBytes);
        }
        this.maxResyncBytes = maxResyncBytes;
    }

    /**
     * Whether the 188-byte packet at {@code offset} is a join point: it starts a video PES
     * (payload_unit_start_indicator set, stream_id 0xE0-0xEF) whose data in this packet contains an
     * MPEG-1/2 sequence header (00 00 01 B3).
     *
     * @throws IndexOutOfBoundsException if {@code buf} does not hold a whole packet at {@code offset}
     */
    public static boolean isJoinPointPacket(byte[] buf, int offset) {
        Objects.checkFromIndexSize(offset, PACKET_SIZE, buf.length);
        return JoinPoints.isJoinPointPacket(buf, offset);
    }

    @Override
    public List<MediaSegment> feed(byte[] data, int offset, int length) throws MediaFormatException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (failure != null) {
            throw new MediaFormatException(failure);
        }
        ByteWindow in = new ByteWindow(kept, keptLength, data, offset, length);
        SegmentCollector out = new SegmentCollector(in.length());
        int pos = 0;
        while (pos < in.length()) {
            if (inSync) {
                if (in.at(pos) != SYNC_BYTE) {
                    inSync = false;
                    garbageRun = 0;
                    syncLostAt = keptOffset + pos;
                    continue;
                }
                if (in.length() - pos < PACKET_SIZE) {
                    break;
                }
                int at = out.append(in, pos, PACKET_SIZE);
                if (JoinPoints.isJoinPointPacket(out.buffer(), at)) {
                    out.markJoin(at);
                }
                packets++;
                pos += PACKET_SIZE;
            } else {
                Verdict verdict = confirmSync(in, pos);
                if (verdict == Verdict.UNDECIDED) {
                    break;
                }
                if (verdict == Verdict.CONFIRMED) {
                    inSync = true;
                    acquired = true;
                } else {
                    discardOne();
                    pos++;
                }
            }
        }
        keep(in, pos);
        return out.segments();
    }

    /** Garbage bytes dropped so far, at the start and at every loss of sync. */
    public long discardedBytes() {
        return discardedBytes;
    }

    /** Whole packets emitted so far. */
    public long packets() {
        return packets;
    }

    private static Verdict confirmSync(ByteWindow in, int pos) {
        for (int k = 0; k < CONFIRMING_BOUNDARIES; k++) {
            int boundary = pos + k * PACKET_SIZE;
            if (boundary >= in.length()) {
                return Verdict.UNDECIDED;
            }
            if (in.at(boundary) != SYNC_BYTE) {
                return Verdict.REJECTED;
            }
        }
        return Verdict.CONFIRMED;
    }

    private void discardOne() throws MediaFormatException {
        discardedBytes++;
        garbageRun++;
        if (!acquired && garbageRun >= ACQUIRE_WINDOW) {
            fail("not MPEG-TS: no sync byte 0x47 at a " + PACKET_SIZE + "-byte stride in the first " + ACQUIRE_WINDOW
                    + " bytes");
        }
        if (acquired && garbageRun > maxResyncBytes) {
            fail("lost MPEG-TS sync: more than " + maxResyncBytes + " bytes without a 0x47 sync byte at a "
                    + PACKET_SIZE + "-byte stride (at stream offset " + syncLostAt + ")");
        }
    }

    private void fail(String reason) throws MediaFormatException {
        failure = reason;
        keptLength = 0;
        throw new MediaFormatException(reason);
    }

    /** Keeps the unconsumed remainder; the loop above guarantees it fits in {@link #MAX_KEPT}. */
    private void keep(ByteWindow in, int consumed) {
        int remaining = in.length() - consumed;
        in.copy(consumed, kept, 0, remaining);
        keptLength = remaining;
        keptOffset += consumed;
    }
}
