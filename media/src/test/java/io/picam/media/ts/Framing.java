package io.picam.media.ts;

import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

/** Feeds a whole input through a framer in chunks and records what came out. */
record Framing(byte[] bytes, List<Integer> joinOffsets, List<MediaSegment> segments, int feeds) {

    static Framing whole(TsFramer framer, byte[] input) throws MediaFormatException {
        return feed(framer, input, () -> input.length);
    }

    static Framing byteByByte(TsFramer framer, byte[] input) throws MediaFormatException {
        return feed(framer, input, () -> 1);
    }

    /** Chunks of 1 to {@code maxChunk} bytes, sizes drawn from {@code random}. */
    static Framing randomChunks(TsFramer framer, byte[] input, Random random, int maxChunk)
            throws MediaFormatException {
        return feed(framer, input, () -> 1 + random.nextInt(maxChunk));
    }

    static Framing feed(TsFramer framer, byte[] input, IntSupplier chunkSizes) throws MediaFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> joins = new ArrayList<>();
        List<MediaSegment> segments = new ArrayList<>();
        int feeds = 0;
        for (int pos = 0; pos < input.length; feeds++) {
            int length = Math.min(chunkSizes.getAsInt(), input.length - pos);
            for (MediaSegment segment : framer.feed(input, pos, length)) {
                if (segment.isJoinPoint()) {
                    joins.add(out.size());
                }
                segments.add(segment);
                out.writeBytes(segment.data());
            }
            pos += length;
        }
        return new Framing(out.toByteArray(), joins, segments, feeds);
    }

    long joinSegments() {
        return segments.stream().filter(MediaSegment::isJoinPoint).count();
    }
}
