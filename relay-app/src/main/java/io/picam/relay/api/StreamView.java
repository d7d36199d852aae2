package io.picam.relay.api;

import io.picam.relay.stream.StreamFormat;
import java.time.Instant;

/**
 * A stream as a viewer sees it in {@code GET /api/streams}; {@code lastSeenAt} is when its camera was last seen
 * publishing (now, while it is live; null if never).
 */
public record StreamView(
        String id, String name, StreamFormat format, boolean live, int viewers, long bitrate, Instant lastSeenAt) {

    public StreamView(String id, String name, StreamFormat format, boolean live, int viewers, long bitrate) {
        this(id, name, format, live, viewers, bitrate, null);
    }

    public StreamView seenAt(Instant at) {
        return new StreamView(id, name, format, live, viewers, bitrate, at);
    }
}
