package io.picam.relay.stream;

/**
 * A stream's publishing secret changed: whoever publishes with the old one is cut off, on every instance. Fired
 * inside the rotation's transaction, so observers ({@code AFTER_SUCCESS}) see it only once the new hash is
 * committed; {@code remote} when another instance made it and the cluster repeats it here.
 */
public record SecretRotated(String streamId, boolean remote) {

    public static SecretRotated of(String streamId) {
        return new SecretRotated(streamId, false);
    }
}
