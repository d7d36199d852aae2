package io.picam.relay.recording;

import io.picam.media.MediaSegment;
import io.picam.relay.stream.StreamFormat;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Cuts one publisher connection's segments into recorded segments, each playable on its own: it starts at a join
 * point (for fMP4 behind the init segment, so it is a valid fragmented MP4 file; for MPEG-TS at a sequence header)
 * and ends at the first join point after {@code length}, which starts the next one, so consecutive segments meet
 * without a gap. A new init segment (the camera restarted its encoder) ends the current segment. Bytes before the
 * first join point are not recorded. Not thread-safe: one publisher's event loop feeds it.
 */
final class SegmentCutter {

    private final String streamId;
    private final StreamFormat format;
    private final long lengthMillis;
    private final long maxBytes;
    private final InstantSource clock;
    private final Consumer<FinishedSegment> finished;
    private final BooleanSupplier recording;
    private final List<byte[]> parts = new ArrayList<>();
    private byte[] init;
    private String initHash;
    private String codec;
    private Instant start; // null: waiting for a join point
    private long bytes;

    SegmentCutter(
            String streamId,
            StreamFormat format,
            Duration length,
            long maxBytes,
            InstantSource clock,
            BooleanSupplier recording,
            Consumer<FinishedSegment> finished) {
        this.recording = recording;
        this.streamId = streamId;
        this.format = format;
        this.lengthMillis = length.toMillis();
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.finished = finished;
        this.codec = format.contentType();
    }

    void accept(MediaSegment segment) {
        Instant now = clock.instant();
        switch (segment.kind()) {
            case INIT -> {
                cut(now);
                start = null;
                init = segment.data();
                initHash = sha256(init);
                codec = format.mimeType(init);
            }
            case JOIN -> {
                if (start != null && now.toEpochMilli() - start.toEpochMilli() >= lengthMillis) {
                    cut(now);
                    begin(now);
                } else if (start == null) {
                    begin(now);
                }
                add(segment.data());
            }
            case CONTINUATION -> {
                if (start != null) {
                    add(segment.data());
                }
            }
        }
    }

    /** The publisher is gone: what was collected is a segment too (it ends at a whole fragment or TS packet). */
    void close() {
        cut(clock.instant());
        start = null;
    }

    private void begin(Instant at) {
        if (format == StreamFormat.FMP4 && init == null || !recording.getAsBoolean()) {
            return; // not recorded (now), or fragments without a decoder configuration, which are unplayable
        }
        start = at;
        if (init != null) {
            parts.add(init);
            bytes = init.length;
        }
    }

    private void add(byte[] data) {
        if (start == null) {
            return;
        }
        if (bytes + data.length > maxBytes) {
            // a join point this late means a broken encoder; keep memory bounded and wait for the next one
            parts.clear();
            bytes = 0;
            start = null;
            return;
        }
        parts.add(data);
        bytes += data.length;
    }

    private void cut(Instant end) {
        if (start == null || parts.size() <= (init == null ? 0 : 1)) {
            parts.clear();
            bytes = 0;
            return;
        }
        finished.accept(new FinishedSegment(
                streamId,
                format,
                start,
                end,
                List.copyOf(parts),
                bytes,
                init == null ? 0 : init.length,
                initHash,
                codec));
        parts.clear();
        bytes = 0;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
