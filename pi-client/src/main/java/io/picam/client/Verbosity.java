package io.picam.client;

import io.picam.client.config.ConfigurationException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code --quiet} and {@code --verbose}: the level of the client's own log lines (INFO by default, from
 * application.properties), set at run time because the options are read after Quarkus configured logging.
 */
final class Verbosity {

    static final String CATEGORY = "io.picam.client";

    private Verbosity() {}

    static void apply(boolean quiet, boolean verbose) {
        if (quiet && verbose) {
            throw new ConfigurationException(
                    "--quiet and --verbose exclude each other (check the config file's quiet= and verbose=)");
        }
        if (quiet) {
            Logger.getLogger(CATEGORY).setLevel(Level.WARNING);
        } else if (verbose) {
            Logger.getLogger(CATEGORY).setLevel(Level.FINE); // JBoss LogManager's DEBUG
        }
    }

    static boolean verbose() {
        return Logger.getLogger(CATEGORY).isLoggable(Level.FINE);
    }
}
