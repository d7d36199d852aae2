package io.picam.relay.account;

import io.picam.relay.config.RelayConfig;
import io.picam.relay.domain.NotFoundException;
import io.picam.relay.domain.RecentAnswers;
import io.picam.relay.stream.StreamSecrets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Personal access tokens: 256 random bits behind a recognisable prefix, stored as SHA-256 (like stream secrets:
 * nothing to gain from a slow hash), shown once, with an expiry and scopes, revocable by their owner and by any
 * admin. Revoking one closes the sockets it opened ({@link CredentialsEnded}).
 *
 * <p>Scripts and viewers present their token on every request, so valid tokens are answered from memory for
 * {@code picam.access.cache-for}: a revocation ({@link CredentialsEnded}) or a role change ({@link AccessChanged})
 * forgets them at once, on every instance; "last used" is written at most once a minute per token, in batches.
 */
@ApplicationScoped
public class AccessTokens {

    /** Tokens start with this, so that a leaked one is easy to recognise (and to scan for). */
    public static final String PREFIX = "picam_pat_";

    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    /** A token as its owner or an admin sees it in a list: never the token itself. */
    public record TokenView(
            long id, String name, Set<Scope> scopes, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {
        static TokenView of(AccessToken t) {
            return new TokenView(t.id, t.name, t.scopeSet(), t.createdAt, t.expiresAt, t.lastUsedAt);
        }
    }

    /** A new token: the only time it is shown. */
    public record IssuedToken(
            long id, String name, Set<Scope> scopes, String token, Instant createdAt, Instant expiresAt) {}

    /** Who a valid token acts for, and with what. */
    public record TokenOwner(String username, Set<Role> roles, Credential credential) {}

    /** A revoked token and whose it was. */
    public record Revoked(String owner, TokenView token) {}

    /** A valid token as remembered: its owner, and when its use was last noted. */
    private record KnownToken(TokenOwner owner, Instant lastUsedAt) {}

    private final Event<CredentialsEnded> ended;
    private final LastUseWrites lastUse;
    private final RecentAnswers<String, KnownToken> known;

    public AccessTokens(Event<CredentialsEnded> ended, LastUseWrites lastUse, RelayConfig config) {
        this.ended = ended;
        this.lastUse = lastUse;
        this.known = new RecentAnswers<>(config.access().cacheFor(), 100_000);
    }

    @Transactional
    public IssuedToken issue(String username, String name, Duration validity, Set<Scope> scopes) {
        User owner = UserDirectory.find(username);
        String token = PREFIX + StreamSecrets.newSecret();
        AccessToken t = new AccessToken();
        t.user = owner;
        t.name = name.strip();
        t.tokenHash = StreamSecrets.hash(token);
        t.createdAt = Instant.now();
        t.expiresAt = t.createdAt.plus(validity);
        t.scopes = Scope.join(scopes);
        t.persist();
        return new IssuedToken(t.id, t.name, t.scopeSet(), token, t.createdAt, t.expiresAt);
    }

    /** The user's tokens, newest first; 404 for an unknown user. */
    @Transactional
    public List<TokenView> list(String username) {
        return AccessToken.ownedBy(UserDirectory.find(username)).stream()
                .map(TokenView::of)
                .toList();
    }

    /** Revokes one of the user's own tokens (404 for anyone else's, so ids reveal nothing). */
    @Transactional
    public TokenView revoke(String username, long id) {
        AccessToken t = AccessToken.<AccessToken>findByIdOptional(id)
                .filter(token -> token.user.username.equalsIgnoreCase(username))
                .orElseThrow(() -> new NotFoundException("no token " + id));
        return delete(t).token();
    }

    /** An admin revokes anyone's token. */
    @Transactional
    public Revoked revokeAny(long id) {
        return delete(AccessToken.<AccessToken>findByIdOptional(id)
                .orElseThrow(() -> new NotFoundException("no token " + id)));
    }

    /** Every token of the user (a password reset, a removed role); the caller fires the event for the user. */
    @Transactional
    public long deleteAll(String username) {
        return AccessToken.delete("user", UserDirectory.find(username));
    }

    private Revoked delete(AccessToken t) {
        Revoked revoked = new Revoked(t.user.username, TokenView.of(t));
        t.delete();
        ended.fire(CredentialsEnded.of(revoked.owner(), "t:" + t.id));
        return revoked;
    }

    /** The owner of a presented token when it exists and has not expired. Blocking (on a miss, one query). */
    public Optional<TokenOwner> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
            return Optional.empty();
        }
        String hash = StreamSecrets.hash(presented);
        Instant now = Instant.now();
        KnownToken token = known.get(hash, AccessTokens::load).orElse(null);
        if (token == null || !token.owner().credential().expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        if (token.lastUsedAt() == null
                || token.lastUsedAt().plus(LAST_USED_GRANULARITY).isBefore(now)) {
            known.put(hash, new KnownToken(token.owner(), now));
            lastUse.tokenUsed(token.owner().credential().id(), now);
        }
        return Optional.of(token.owner());
    }

    /** Forget what was revoked; {@code AFTER_SUCCESS}: only once the change is committed (or came from elsewhere). */
    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) CredentialsEnded event) {
        known.invalidateIf((hash, t) ->
                event.covers(t.owner().username(), t.owner().credential().key()));
    }

    /** The owner's roles may have changed: their tokens are read again. */
    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged event) {
        known.invalidateIf((hash, t) -> t.owner().username().equalsIgnoreCase(event.username()));
    }

    private static Optional<KnownToken> load(String hash) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> AccessToken.findByHash(hash)
                        .map(t -> new KnownToken(
                                new TokenOwner(
                                        t.user.username,
                                        t.user.roleSet(),
                                        new Credential(Credential.Kind.TOKEN, t.id, t.expiresAt, t.scopeSet())),
                                t.lastUsedAt)));
    }
}
