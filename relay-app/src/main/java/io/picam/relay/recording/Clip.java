package io.picam.relay.recording;

import io.picam.relay.recording.store.RecordingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Segments joined into one file: for fMP4 the first segment's init segment and then every segment's fragments
 * (their own init segments, all the same, are skipped); for MPEG-TS the segments one after the other, each of which
 * starts at a sequence header.
 */
final class Clip {

    private Clip() {}

    /** The segments from the first on that share its decoder configuration (a clip cannot change it midway). */
    static List<RecordedSegment> joinable(List<RecordedSegment> rows) {
        List<RecordedSegment> joined = new ArrayList<>();
        for (RecordedSegment row : rows) {
            if (!joined.isEmpty() && !Objects.equals(joined.get(0).initHash, row.initHash)) {
                break;
            }
            joined.add(row);
        }
        return joined;
    }

    static long length(List<RecordedSegment> rows) {
        long length = 0;
        for (int i = 0; i < rows.size(); i++) {
            length += rows.get(i).bytes - (i == 0 ? 0 : rows.get(i).initSize);
        }
        return length;
    }

    static void write(RecordingStore store, List<RecordedSegment> rows, OutputStream out) throws IOException {
        for (int i = 0; i < rows.size(); i++) {
            RecordedSegment row = rows.get(i);
            try (InputStream in = store.get(row.storageKey, i == 0 ? 0 : row.initSize, -1)) {
                in.transferTo(out);
            }
        }
    }
}
