package io.picam.relay.domain;

/** Text from a request (a name, an address, a user agent) made safe to store and to log. */
public final class StoredText {

    private StoredText() {}

    /** Control characters become {@code ?} (no forged log lines) and the text is cut to {@code max}; null stays null. */
    public static String clip(String s, int max) {
        if (s == null) {
            return null;
        }
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
