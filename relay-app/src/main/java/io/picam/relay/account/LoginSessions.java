package io.picam.relay.account;

import io.picam.relay.config.RelayConfig;
import io.picam.relay.domain.RecentAnswers;
import io.picam.relay.domain.StoredText;
import io.picam.relay.stream.StreamSecrets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Server-side logins. The browser's cookie holds 256 random bits; the database holds their SHA-256 with the user,
 * times, address and user agent, so a user sees their logins and ends any of them, and a logout ends one for real.
 * A session lasts while it is used within the idle timeout, and never beyond its maximum age.
 *
 * <p>Resolving a cookie is on every request (and on every viewer reconnect), so live sessions are kept in memory for
 * {@code picam.access.cache-for}; anything that ends one fires {@link CredentialsEnded}, and a role change fires
 * {@link AccessChanged}: both empty that memory here (and, through the cluster, on every instance) at once. "Last
 * seen" is written at most once a minute per session, and in batches ({@link LastUseWrites}).
 */
@ApplicationScoped
public class LoginSessions {

    /** A live session as requests see it. */
    public record SessionOwner(
            long id, String username, Set<Role> roles, Instant createdAt, Instant lastSeenAt, Instant expiresAt) {
        public Credential credential() {
            return new Credential(Credential.Kind.SESSION, id, expiresAt, EnumSet.allOf(Scope.class));
        }

        SessionOwner seen(Instant at) {
            return new SessionOwner(id, username, roles, createdAt, at, expiresAt);
        }
    }

    /** A new login: the cookie value, shown to this browser only. */
    public record NewSession(String cookie, SessionOwner owner) {}

    /** A session as its owner sees it in the list. */
    public record SessionView(
            long id, Instant createdAt, Instant lastSeenAt, String address, String userAgent, boolean current) {}

    private final Duration idleTimeout;
    private final Duration maxAge;
    private final Duration touchEvery;
    private final Clock clock;
    private final Event<CredentialsEnded> ended;
    private final LastUseWrites lastUse;
    private final RecentAnswers<String, SessionOwner> live;

    public LoginSessions(RelayConfig config, Event<CredentialsEnded> ended, LastUseWrites lastUse) {
        this.idleTimeout = config.session().idleTimeout();
        this.maxAge = config.session().maxAge();
        // last-seen is written at most this often; a fraction of the idle timeout, so it still decides in time
        this.touchEvery = min(Duration.ofMinutes(1), idleTimeout.dividedBy(4));
        this.clock = Clock.systemUTC();
        this.ended = ended;
        this.lastUse = lastUse;
        this.live = new RecentAnswers<>(config.access().cacheFor(), 100_000);
    }

    public Duration maxAge() {
        return maxAge;
    }

    @Transactional
    public NewSession create(String username, String address, String userAgent) {
        User user = UserDirectory.find(username);
        String cookie = StreamSecrets.newSecret();
        LoginSession s = new LoginSession();
        s.user = user;
        s.idHash = StreamSecrets.hash(cookie);
        s.createdAt = clock.instant();
        s.lastSeenAt = s.createdAt;
        s.address = StoredText.clip(address, 64);
        s.userAgent = StoredText.clip(userAgent, 200);
        s.persist();
        SessionOwner owner = owner(s);
        live.put(s.idHash, owner); // the login's first request needs no query
        return new NewSession(cookie, owner);
    }

    /** The live session a cookie names, or empty (unknown, ended, idle too long or too old). Blocking. */
    public Optional<SessionOwner> resolve(String cookie) {
        if (!wellFormed(cookie)) {
            return Optional.empty();
        }
        String hash = StreamSecrets.hash(cookie);
        Instant now = clock.instant();
        SessionOwner owner = live.get(hash, this::load).orElse(null);
        if (owner == null) {
            return Optional.empty();
        }
        if (!now.isBefore(owner.expiresAt()) || !now.isBefore(owner.lastSeenAt().plus(idleTimeout))) {
            live.invalidate(hash);
            endExpired(owner.id());
            return Optional.empty();
        }
        if (!now.isBefore(owner.lastSeenAt().plus(touchEvery))) {
            // not on every hit: a session in constant use must still be read again from the database now and then
            live.put(hash, owner.seen(now));
            lastUse.sessionSeen(owner.id(), now);
        }
        return Optional.of(owner);
    }

    @Transactional
    public List<SessionView> list(String username, long currentId) {
        return LoginSession.ownedBy(UserDirectory.find(username)).stream()
                .map(s -> new SessionView(s.id, s.createdAt, s.lastSeenAt, s.address, s.userAgent, s.id == currentId))
                .toList();
    }

    /** Ends one of the user's sessions; false when they have none with that id (anyone else's included). */
    @Transactional
    public boolean end(String username, long id) {
        long deleted = LoginSession.delete("id = ?1 and user = ?2", id, UserDirectory.find(username));
        if (deleted > 0) {
            ended.fire(CredentialsEnded.of(username, "s:" + id));
        }
        return deleted > 0;
    }

    /** Ends every session of the user but {@code keep} (0: all of them); returns how many ended. */
    @Transactional
    public int endAllBut(String username, long keep) {
        User user = UserDirectory.find(username);
        List<Long> ids = LoginSession.ownedBy(user).stream()
                .map(s -> s.id)
                .filter(id -> id != keep)
                .toList();
        if (!ids.isEmpty()) {
            LoginSession.delete("id in ?1", ids);
            ended.fire(new CredentialsEnded(
                    username, Set.copyOf(ids.stream().map(id -> "s:" + id).toList()), false));
        }
        return ids.size();
    }

    /** Sessions past their lifetime, deleted from time to time so the table does not grow. */
    @Transactional
    public long sweep() {
        Instant now = clock.instant();
        return LoginSession.delete("createdAt < ?1 or lastSeenAt < ?2", now.minus(maxAge), now.minus(idleTimeout));
    }

    /** Forget what ended, here; {@code during AFTER_SUCCESS}: only once the change is committed. */
    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) CredentialsEnded event) {
        live.invalidateIf((hash, owner) ->
                event.covers(owner.username(), owner.credential().key()));
    }

    /** The user's roles may have changed (one added ends no session): their sessions are read again. */
    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged event) {
        live.invalidateIf((hash, owner) -> owner.username().equalsIgnoreCase(event.username()));
    }

    // own transactions: resolve() runs outside one, on a worker thread of the authentication
    private Optional<SessionOwner> load(String hash) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> LoginSession.findByHash(hash).map(this::owner));
    }

    private void endExpired(long id) {
        QuarkusTransaction.joiningExisting().run(() -> LoginSession.deleteById(id));
    }

    private SessionOwner owner(LoginSession s) {
        return new SessionOwner(
                s.id, s.user.username, s.user.roleSet(), s.createdAt, s.lastSeenAt, s.createdAt.plus(maxAge));
    }

    static boolean wellFormed(String cookie) {
        return cookie != null
                && cookie.length() == 43
                && cookie.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
