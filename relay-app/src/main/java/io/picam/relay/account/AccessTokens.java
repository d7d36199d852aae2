package io.picam.relay.account;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.picam.relay.api.JsonErrorMapper.ApiException;
import io.picam.relay.stream.StreamSecrets;

/**
 * Personal access tokens: 256 random bits behind a recognisable prefix, stored as SHA-256 (like stream secrets:
 * nothing to gain from a slow hash), shown once, with an expiry, revocable by their owner.
 */
@ApplicationScoped
public class AccessTokens {

    /** Tokens start with this, so that a leaked one is easy to recognise (and to scan for). */
    public static final String PREFIX = "picam_pat_";
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    /** A token as its owner sees it in the list: never the token itself. */
    public record TokenView(long id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {
        static TokenView of(AccessToken t) {
            return new TokenView(t.id, t.name, t.createdAt, t.expiresAt, t.lastUsedAt);
        }
    }

    /** A new token: the only time it is shown. */
    public record IssuedToken(long id, String name, String token, Instant createdAt, Instant expiresAt) {
    }

    /** Who a valid token acts for. */
    public record TokenOwner(String username, java.util.Set<Role> roles) {
    }

    @Transactional
    public IssuedToken issue(String username, String name, Duration validity) {
        User owner = UserDirectory.find(username);
        String token = PREFIX + StreamSecrets.newSecret();
        AccessToken t = new AccessToken();
        t.user = owner;
        t.name = name.strip();
        t.tokenHash = StreamSecrets.hash(token);
        t.createdAt = Instant.now();
        t.expiresAt = t.createdAt.plus(validity);
        t.persist();
        return new IssuedToken(t.id, t.name, token, t.createdAt, t.expiresAt);
    }

    @Transactional
    public List<TokenView> list(String username) {
        return AccessToken.ownedBy(UserDirectory.find(username)).stream().map(TokenView::of).toList();
    }

    /** Revokes one of the user's own tokens (404 for anyone else's, so ids reveal nothing). */
    @Transactional
    public TokenView revoke(String username, long id) {
        AccessToken t = AccessToken.<AccessToken>findByIdOptional(id)
                .filter(token -> token.user.username.equalsIgnoreCase(username))
                .orElseThrow(() -> ApiException.notFound("no token " + id));
        TokenView view = TokenView.of(t);
        t.delete();
        return view;
    }

    /** The owner of a presented token when it exists and has not expired. */
    @Transactional
    public Optional<TokenOwner> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
            return Optional.empty();
        }
        Optional<AccessToken> found = AccessToken.findByHash(StreamSecrets.hash(presented));
        Instant now = Instant.now();
        return found.filter(t -> t.expiresAt.isAfter(now)).map(t -> {
            if (t.lastUsedAt == null || t.lastUsedAt.plus(LAST_USED_GRANULARITY).isBefore(now)) {
                t.lastUsedAt = now;
            }
            return new TokenOwner(t.user.username, t.user.roleSet());
        });
    }
}
