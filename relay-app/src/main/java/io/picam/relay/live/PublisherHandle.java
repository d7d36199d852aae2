package io.picam.relay.live;

/** The hub's view of a publisher: something it can tell to stop when a newer one takes over. */
public interface PublisherHandle {
    void replaced();
}
