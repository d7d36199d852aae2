package io.picam.relay.live;

/** The hub's view of a publisher: something it can tell to stop. Both calls may come from any thread. */
public interface PublisherHandle {

    /** A newer publisher took over (409 to this one). */
    void replaced();

    /** Access was withdrawn (secret rotated, stream deleted): end the upload with this status and reason. */
    void disconnect(int status, String reason);

    /** True for the stand-in of a publisher connected to another relay instance. */
    default boolean remote() {
        return false;
    }
}
