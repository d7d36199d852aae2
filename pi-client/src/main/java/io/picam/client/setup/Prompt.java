package io.picam.client.setup;

import io.picam.client.config.ConfigurationException;
import java.io.Console;

/**
 * Asks on the terminal for what {@code setup} was not given. Without a terminal (a script, ssh without -t) it cannot
 * ask, so the message names the option or environment variable that gives it.
 */
public final class Prompt {

    private final Console console;

    /** @param console the terminal, or null when there is none */
    public Prompt(Console console) {
        this.console = console;
    }

    /**
     * @param value what was given, if anything
     * @param what what it is, e.g. "Relay URL"
     * @param howToGive how to give it without a terminal, e.g. "give --relay URL"
     */
    public String ask(String value, String what, boolean secret, String howToGive) {
        if (value != null && !value.isBlank()) {
            return value.trim();
        }
        if (console == null) {
            throw new ConfigurationException("missing " + what + " and no terminal to ask on: " + howToGive);
        }
        String answer = secret ? new String(console.readPassword("%s: ", what)) : console.readLine("%s: ", what);
        if (answer == null || answer.isBlank()) {
            throw new ConfigurationException("nothing entered for " + what);
        }
        return answer.trim();
    }
}
