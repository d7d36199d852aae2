package io.picam.relay.account;

import java.time.Instant;
import java.util.Set;

/**
 * What a request was authenticated with: a login session, a personal access token or a share link. Kept on the security
 * identity (and on every viewer socket it opens), so that ending it can close what it opened.
 *
 * @param id        the session's, token's or share link's row id
 * @param expiresAt when it stops working at the latest (a session's absolute lifetime, a token's or link's expiry)
 * @param scopes    what it may do within its user's roles (a session: everything)
 */
public record Credential(Kind kind, long id, Instant expiresAt, Set<Scope> scopes) {

    public enum Kind {
        SESSION,
        TOKEN,
        SHARE_LINK
    }

    /** "s:12", "t:7" or "l:3": unique across the kinds, as it travels between instances. */
    public String key() {
        return switch (kind) {
                    case SESSION -> "s:";
                    case TOKEN -> "t:";
                    case SHARE_LINK -> "l:";
                }
                + id;
    }

    public boolean isToken() {
        return kind == Kind.TOKEN;
    }

    public boolean allows(Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }
}
