package io.picam.relay.admin;

import io.picam.relay.stream.StreamFormat;

/** Answer to {@code POST /api/admin/streams}: the only time the publishing secret is shown. */
public record CreatedStream(String id, String name, StreamFormat format, String secret) {}
