package io.picam.client.config;

/** Running as root, the client will not run a program that another user could choose or replace. */
public final class RootRefusalException extends ConfigurationException {

    private static final long serialVersionUID = 1L;

    public RootRefusalException(String message) {
        super(message);
    }
}
