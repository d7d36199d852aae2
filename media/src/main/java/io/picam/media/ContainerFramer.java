package io.picam.media;

import java.util.List;

/**
 * Cuts a container byte stream, fed in arbitrary chunks, into whole units labelled with join points.
 *
 * <p>Implementations are stateful and not thread-safe: feed the chunks of one stream in order from
 * one thread at a time. Bytes that do not yet form a whole unit are kept until the next call; what is
 * kept is bounded (at most one unit plus a small resynchronisation window), whatever the input.
 */
public interface ContainerFramer {

    /**
     * Consumes the next chunk of the stream.
     *
     * @return zero or more complete segments, in stream order; the list and arrays belong to the caller
     * @throws MediaFormatException when the stream is not (or is no longer) in the expected format; the
     *     framer then stays failed and every later call throws again
     */
    List<MediaSegment> feed(byte[] data, int offset, int length) throws MediaFormatException;
}
