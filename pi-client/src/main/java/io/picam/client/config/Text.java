package io.picam.client.config;

/** Values from outside (the relay, a command line) shown in one line, with control characters made visible. */
public final class Text {

    private Text() {}

    public static boolean hasControlCharacters(String s) {
        return s.codePoints().anyMatch(Character::isISOControl);
    }

    /** The value with every control character shown as {@code ?}: for names echoed in a sentence. */
    public static String oneLine(String s) {
        return s == null
                ? ""
                : s.codePoints()
                        .map(c -> Character.isISOControl(c) ? '?' : c)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString();
    }

    /** {@code "a\nb"} for a newline, and so on: nothing can start a new line or move the terminal's cursor. */
    public static String printable(String s) {
        if (s == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
