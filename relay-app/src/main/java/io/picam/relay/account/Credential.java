package io.picam.relay.account;

import java.time.Instant;
import java.util.Set;

/**
 * What a request was authenticated with: a login session or a personal access token. Kept on the security
 * identity (and on every viewer socket it opens), so that ending it can close what it opened.
 *
 * @param id        the session's or token's row id
 * @param expiresAt when it stops working at the latest (a session's absolute lifetime, a token's expiry)
 * @param scopes    what it may do within its user's roles (a session: everything)
 */
public record Credential(Kind kind, long id, Instant expiresAt, Set<Scope> scopes) {

    public enum Kind {
        SESSION,
        TOKEN
    }

    /** "s:12" or "t:7": unique across both kinds, as it travels between instances. */
    public String key() {
        return (kind == Kind.SESSION ? "s:" : "t:") + id;
    }

    public boolean isToken() {
        return kind == Kind.TOKEN;
    }

    public boolean allows(Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }
}
