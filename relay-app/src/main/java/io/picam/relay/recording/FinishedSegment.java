package io.picam.relay.recording;

import io.picam.relay.stream.StreamFormat;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * A segment cut from a live stream, playable on its own, waiting to be stored. The parts are the publisher's own
 * arrays (never modified), so cutting copies nothing on the event loop.
 *
 * @param initSize bytes of the fMP4 init segment that is the first part (0 for MPEG-TS)
 * @param initHash SHA-256 (hex) of that init segment, or null
 * @param codec the MIME type with codecs (fMP4), or the container's type
 */
record FinishedSegment(
        String streamId,
        StreamFormat format,
        Instant start,
        Instant end,
        List<byte[]> parts,
        long bytes,
        int initSize,
        String initHash,
        String codec) {

    InputStream content() {
        return new SequenceInputStream(Collections.enumeration(
                parts.stream().map(ByteArrayInputStream::new).toList()));
    }

    String extension() {
        return format == StreamFormat.FMP4 ? "mp4" : "ts";
    }
}
