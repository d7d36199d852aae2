package io.picam.relay.security;

/**
 * A login key went over its limit summed over all instances: every instance refuses it until {@code untilMillis}
 * (epoch millis). {@code remote} when another instance found it and the cluster repeats it here.
 */
public record LoginBlocked(String key, long untilMillis, boolean remote) {}
