package io.picam.relay.account;

import java.util.Set;

/**
 * Logins or tokens of a user ended (logout, "end this session", a revoked token, a password reset, a removed
 * role, a deleted user): whatever they opened must close now, on every instance. Fired after the change is
 * committed; {@code remote} when another instance made it and the cluster repeats it here.
 *
 * @param credentials the ended credentials as {@link Credential#key()} gives them; empty means all of the user's
 */
public record CredentialsEnded(String username, Set<String> credentials, boolean remote) {

    public static CredentialsEnded all(String username) {
        return new CredentialsEnded(username, Set.of(), false);
    }

    public static CredentialsEnded of(String username, String credential) {
        return new CredentialsEnded(username, Set.of(credential), false);
    }

    /** Whether a socket opened with {@code credential} by {@code user} is among the ended ones. */
    public boolean covers(String user, String credential) {
        return username.equalsIgnoreCase(user) && (credentials.isEmpty() || credentials.contains(credential));
    }
}
