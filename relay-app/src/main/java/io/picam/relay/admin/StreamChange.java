package io.picam.relay.admin;

/** Body of {@code PATCH /api/admin/streams/{id}}: what is present changes, what is absent stays. */
public record StreamChange(Boolean viewersMayShare) {}
