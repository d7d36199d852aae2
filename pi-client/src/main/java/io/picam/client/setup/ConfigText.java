package io.picam.client.setup;

import io.picam.client.config.ConfigurationException;
import io.picam.client.config.Text;
import java.util.Map;

/**
 * The text of {@code client.properties}: one {@code key=value} line per setting. A value can never add a line
 * (a newline would let it set another key, such as {@code encoder-binary}): control characters are refused and
 * backslashes escaped, so that {@link java.util.Properties#load} reads back exactly what was given.
 */
public final class ConfigText {

    private ConfigText() {}

    public static String of(Map<String, String> settings) {
        StringBuilder text =
                new StringBuilder("# written by picam setup; every `picam stream` option, without dashes\n");
        settings.forEach((key, value) -> {
            if (value == null || Text.hasControlCharacters(value)) {
                throw new ConfigurationException("refusing to write " + key + " = " + Text.printable(value)
                        + " into the config: it holds a line break or another control character");
            }
            text.append(key).append('=').append(escape(value)).append('\n');
        });
        return text.toString();
    }

    private static String escape(String value) {
        String escaped = value.replace("\\", "\\\\");
        // Properties.load drops the whitespace in front of a value
        return escaped.startsWith(" ") ? "\\" + escaped : escaped;
    }
}
