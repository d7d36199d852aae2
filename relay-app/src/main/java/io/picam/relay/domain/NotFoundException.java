package io.picam.relay.domain;

/** What was asked for does not exist (a user, stream, token or session). The API answers 404 with the message. */
public final class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message, null, false, false); // an answer, not a bug: no stack trace
    }
}
