package io.picam.client.setup;

import io.picam.client.config.ConfigurationException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** A program {@code setup} runs on the Pi (useradd, systemctl), with its output on the terminal, and how it ended. */
public record HostCommand(int exit) {

    public static HostCommand run(String... command) {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            return new HostCommand(p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1);
        } catch (IOException e) {
            return new HostCommand(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HostCommand(-1);
        }
    }

    public boolean failed() {
        return exit != 0;
    }

    public void orFail(String message) {
        if (failed()) {
            throw new ConfigurationException(message);
        }
    }
}
