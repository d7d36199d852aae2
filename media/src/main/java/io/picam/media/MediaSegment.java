package io.picam.media;

import java.util.Arrays;
import java.util.Objects;

/**
 * A run of container bytes, labelled with whether a viewer can start decoding at its first byte.
 *
 * <p>The array is not copied: a framer hands over a freshly allocated array and nobody may modify it
 * afterwards. Equality compares contents.
 *
 * @param kind what a viewer can do with these bytes
 * @param data the bytes, never modified after construction
 */
public record MediaSegment(Kind kind, byte[] data) {

    /** What a segment means to a viewer that joins the stream. */
    public enum Kind {
        /** Fragmented-MP4 initialisation segment; never produced by the MPEG-TS framer. */
        INIT,
        /** A viewer can start decoding at the first byte of the segment. */
        JOIN,
        /** Bytes that only make sense after the ones before them. */
        CONTINUATION
    }

    public MediaSegment {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(data, "data");
    }

    /** True when a new viewer may start with this segment. */
    public boolean isJoinPoint() {
        return kind == Kind.JOIN;
    }

    /** Number of bytes in the segment. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MediaSegment that && kind == that.kind && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "MediaSegment[kind=" + kind + ", size=" + data.length + "]";
    }
}
