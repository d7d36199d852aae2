package io.picam.bench;

import java.util.List;

/** A relay the benchmark loads: picam itself or the baseline. */
interface RelayUnderTest extends AutoCloseable {

    String name();

    int port();

    String streamId();

    /** Bearer secret for ingest, or null. */
    String secret();

    /** Session cookie header value for viewers, or null. */
    String cookie();

    long pid();

    /** Where the viewers connect: the relay itself, or another instance of it (scale-out). */
    default int viewerPort() {
        return port();
    }

    /** Every process whose CPU and memory count (several relay instances). */
    default List<Long> pids() {
        return List.of(pid());
    }

    /** Where in the published bytes a viewer connected before publishing starts receiving from. */
    int viewerStartOffset(byte[] published);

    @Override
    void close();
}
