package io.picam.relay.security;

import java.time.Duration;

/** A relay on its own: its own buckets in {@link LoginGuard} are all the counting there is. */
public final class LocalLoginCounter implements LoginCounter {

    @Override
    public void failed(String key, int limit, Duration window) {}

    @Override
    public void succeeded(String key) {}
}
