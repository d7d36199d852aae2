package io.picam.relay.stream;

import io.picam.relay.account.AccessChanged;
import io.picam.relay.account.Role;
import io.picam.relay.account.User;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.domain.RecentAnswers;
import io.picam.relay.share.ShareGrant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may watch or publish which stream. Every method is blocking (JDBC).
 *
 * <p>A viewer upgrade asks which stream it is and whether its user may watch it; a reconnect storm asks that a
 * thousand times in two seconds, so both answers are kept in memory for {@code picam.access.cache-for}: the
 * stream's name and format, and the set of streams each user was granted. A grant, a revocation, a role change or
 * a deleted user ({@link AccessChanged}) and a deleted stream ({@link StreamDeleted}) forget them at once, on every
 * instance (the cluster repeats those events). Whether a user may <em>still</em> watch after such a change
 * ({@link #mayWatch(String, String)}) is always read from the database.
 */
@ApplicationScoped
public class StreamAccess {

    /** What the live side needs to know of a stream, detached from the persistence context. */
    public record StreamRef(String id, String name, StreamFormat format) {
        public static StreamRef of(CameraStream s) {
            return new StreamRef(s.id, s.name, s.format);
        }
    }

    public enum Decision {
        ALLOWED,
        FORBIDDEN,
        UNKNOWN
    }

    private final RecentAnswers<String, StreamRef> streams;
    /** Streams granted to each user, by lower-cased username. */
    private final RecentAnswers<String, Set<String>> grants;

    @Inject
    public StreamAccess(RelayConfig config) {
        this(config.access().cacheFor());
    }

    /** Remembering nothing: for fakes that answer themselves. */
    protected StreamAccess() {
        this(Duration.ZERO);
    }

    private StreamAccess(Duration cacheFor) {
        this.streams = new RecentAnswers<>(cacheFor, 10_000);
        this.grants = new RecentAnswers<>(cacheFor, 100_000);
    }

    @Transactional
    public List<StreamRef> visibleTo(SecurityIdentity identity) {
        List<CameraStream> streams = identity.hasRole(Role.ADMIN.id())
                ? CameraStream.listOrdered()
                : userId(identity).map(CameraStream::grantedTo).orElse(List.of());
        return streams.stream().map(StreamRef::of).toList();
    }

    /**
     * Whether this logged-in identity (or share link) may watch the stream; unknown streams are only told apart for
     * admins. Usually
     * from memory; else a query for the stream and one for the user's grants.
     */
    public Decision mayWatch(SecurityIdentity identity, String streamId) {
        Optional<StreamRef> stream = find(streamId);
        ShareGrant share = identity.getAttribute(ShareGrant.ATTRIBUTE);
        if (share != null) {
            return stream.isPresent() && share.streamId().equals(streamId) ? Decision.ALLOWED : Decision.FORBIDDEN;
        }
        boolean admin = identity.hasRole(Role.ADMIN.id());
        if (stream.isEmpty()) {
            return admin ? Decision.UNKNOWN : Decision.FORBIDDEN;
        }
        if (admin) {
            return Decision.ALLOWED;
        }
        String username = identity.getPrincipal().getName().toLowerCase(Locale.ROOT);
        boolean granted = grants.get(username, StreamAccess::loadGrants)
                .map(ids -> ids.contains(streamId))
                .orElse(false);
        return granted ? Decision.ALLOWED : Decision.FORBIDDEN;
    }

    /** Whether this user (by name) may watch the stream now: after a grant, role or user change. */
    @Transactional
    public boolean mayWatch(String username, String streamId) {
        Optional<User> user = User.findByUsername(username);
        if (user.isEmpty() || CameraStream.findById(streamId) == null) {
            return false;
        }
        return user.get().roleSet().contains(Role.ADMIN) || CameraStream.isGranted(streamId, user.get().id);
    }

    /** The stream, usually from memory. */
    public Optional<StreamRef> find(String streamId) {
        return streams.get(
                streamId,
                id -> QuarkusTransaction.joiningExisting()
                        .call(() ->
                                CameraStream.<CameraStream>findByIdOptional(id).map(StreamRef::of)));
    }

    /** The stream when the presented secret is its current one; empty for unknown stream and wrong secret alike. */
    @Transactional
    public Optional<StreamRef> authenticatePublisher(String streamId, String presentedSecret) {
        Optional<CameraStream> stream = streamId == null ? Optional.empty() : CameraStream.findByIdOptional(streamId);
        boolean ok = StreamSecrets.matches(
                presentedSecret, stream.map(s -> s.secretHash).orElse(null));
        return ok ? stream.map(StreamRef::of) : Optional.empty();
    }

    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged event) {
        grants.invalidate(event.username().toLowerCase(Locale.ROOT));
    }

    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) StreamDeleted event) {
        streams.invalidate(event.streamId());
        grants.invalidateIf((user, ids) -> ids.contains(event.streamId()));
    }

    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) SecretRotated event) {
        streams.invalidate(event.streamId()); // nothing cached depends on the secret; forgotten all the same
    }

    /** The ids of the streams granted to the user (by lower-cased name; none for an unknown user): one query. */
    private static Optional<Set<String>> loadGrants(String username) {
        return Optional.of(Set.copyOf(QuarkusTransaction.joiningExisting()
                .call(() -> CameraStream.getEntityManager()
                        .createQuery(
                                "select s.id from CameraStream s join s.viewers v where lower(v.username) = ?1",
                                String.class)
                        .setParameter(1, username)
                        .getResultList())));
    }

    private static Optional<Long> userId(SecurityIdentity identity) {
        return User.findByUsername(identity.getPrincipal().getName()).map(u -> u.id);
    }
}
