package io.picam.relay.recording.store;

/** The store failed or refused (unreachable, full, not found): the caller retries later or gives up on the segment. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
