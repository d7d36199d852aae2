package io.picam.relay.stream;

/**
 * A stream is gone: its publisher and viewers are disconnected and its hub forgotten, on every instance. Fired
 * inside the deletion's transaction; {@code remote} when another instance made it and the cluster repeats it here.
 */
public record StreamDeleted(String streamId, boolean remote) {

    public static StreamDeleted of(String streamId) {
        return new StreamDeleted(streamId, false);
    }
}
