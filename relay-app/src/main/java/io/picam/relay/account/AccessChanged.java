package io.picam.relay.account;

/**
 * What a user may watch changed (a grant added or revoked, roles changed, the user deleted): their sockets of
 * streams they may no longer watch close now, on every instance, not at the next reconnect. Fired inside the
 * change's transaction; {@code remote} when another instance made it and the cluster repeats it here.
 */
public record AccessChanged(String username, boolean remote) {

    public static AccessChanged of(String username) {
        return new AccessChanged(username, false);
    }
}
