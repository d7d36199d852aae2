package io.picam.client.config;

import java.util.regex.Pattern;

/** A stream id as the relay makes them (base64url): safe in a URL path, a config file and a log line. */
public record StreamId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public StreamId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new ConfigurationException(
                    "not a stream id: " + Text.printable(value) + " (1 to 32 letters, digits, - and _)");
        }
    }

    /** Checks an id from where the message names: "--stream", "the id the relay answered". */
    public static StreamId of(String value, String what) {
        try {
            return new StreamId(value);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(what + " is " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
