package io.picam.relay.domain;

/**
 * A change that contradicts what exists or would lock an admin out (a taken username, removing your own admin
 * role). The API answers 409 with the message.
 */
public final class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message, null, false, false); // an answer, not a bug: no stack trace
    }
}
