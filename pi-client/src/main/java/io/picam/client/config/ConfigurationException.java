package io.picam.client.config;

/** A setting that cannot work: reported as one clear line, with a non-zero exit. */
public class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
