package io.picam.relay.security;

import java.time.Duration;

/**
 * Where failed logins are counted beyond this instance's own buckets (the port {@link LoginGuard} needs; who
 * provides it is not its business). A counter that finds a key over its limit across instances fires
 * {@link LoginBlocked}, and so does the cluster when another instance found it. Calls never block.
 */
public interface LoginCounter {

    /**
     * A failed login counted against {@code key} ("u:" username, "a:" address, "ua:" both): at {@code limit}
     * failures within {@code window} of each other, every instance refuses it for the window.
     */
    void failed(String key, int limit, Duration window);

    /** A successful login: the key's count starts again. */
    void succeeded(String key);
}
