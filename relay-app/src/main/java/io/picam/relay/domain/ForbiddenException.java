package io.picam.relay.domain;

/** The caller may not do this (a viewer sharing a stream its admins keep to themselves). The API answers 403. */
public final class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message, null, false, false); // an answer, not a bug: no stack trace
    }
}
