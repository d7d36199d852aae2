package io.picam.media.ts;

import io.picam.media.MediaSegment;
import io.picam.media.MediaSegment.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gathers the packets accepted during one {@code feed} call and cuts them into as few segments as
 * the join points allow: leading continuation bytes, then one segment per join point.
 */
final class SegmentCollector {

    private final int capacity;
    private final List<Integer> joinOffsets = new ArrayList<>();
    private byte[] buffer;
    private int length;

    /** @param capacity upper bound of the bytes this call can accept (the bytes actually at hand) */
    SegmentCollector(int capacity) {
        this.capacity = capacity;
    }

    /** Appends {@code count} bytes of the window and returns where they start in {@link #buffer()}. */
    int append(ByteWindow source, int from, int count) {
        if (buffer == null) {
            buffer = new byte[capacity];
        }
        int at = length;
        source.copy(from, buffer, at, count);
        length += count;
        return at;
    }

    /** The bytes appended so far, valid from index 0 to the current length. */
    byte[] buffer() {
        return buffer;
    }

    /** Starts a new join segment at {@code offset}, which must be the start of the latest packet. */
    void markJoin(int offset) {
        joinOffsets.add(offset);
    }

    List<MediaSegment> segments() {
        if (length == 0) {
            return List.of();
        }
        List<MediaSegment> segments = new ArrayList<>(joinOffsets.size() + 1);
        int start = 0;
        Kind kind = Kind.CONTINUATION;
        for (int joinOffset : joinOffsets) {
            if (joinOffset > start) {
                segments.add(new MediaSegment(kind, slice(start, joinOffset)));
            }
            start = joinOffset;
            kind = Kind.JOIN;
        }
        segments.add(new MediaSegment(kind, slice(start, length)));
        return segments;
    }

    private byte[] slice(int from, int to) {
        // the common single-segment case can hand over the buffer itself
        return from == 0 && to == buffer.length ? buffer : Arrays.copyOfRange(buffer, from, to);
    }
}
