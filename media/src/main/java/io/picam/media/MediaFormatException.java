package io.picam.media;

/**
 * The input is not a stream of the expected container format.
 *
 * <p>The message is a plain-text, human-readable reason meant to be shown to whoever sent the
 * stream, e.g. as the body of an HTTP 400 response.
 */
public class MediaFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public MediaFormatException(String message) {
        super(message);
    }
}
