package io.picam.relay.api;

import io.picam.relay.stream.StreamFormat;

/** A stream as a viewer sees it in {@code GET /api/streams}. */
public record StreamView(String id, String name, StreamFormat format, boolean live, int viewers, long bitrate) {
}
