package io.picam.relay.share;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.picam.relay.audit.AuditLog;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.domain.NotFoundException;
import io.picam.relay.domain.RecentAnswers;
import io.picam.relay.stream.CameraStream;
import io.picam.relay.stream.StreamDeleted;
import io.picam.relay.stream.StreamSecrets;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Share links: a token of 256 random bits (stored as SHA-256, shown once) that lets anyone holding it watch one stream
 * until the link expires or is revoked, behind an optional PIN (bcrypt). Revoking fires {@link ShareLinkEnded},
 * which closes the link's sockets on every instance.
 *
 * <p>Every viewer (re)connect of a link authenticates its cookie, so live links are answered from memory for
 * {@code picam.access.cache-for}; a revocation, an expiry found by {@link ShareLinkWatch} or a deleted stream
 * forgets them at once. "Last used" is written at most once a minute per link.
 */
@ApplicationScoped
public class ShareLinks {

    private static final Logger LOG = Logger.getLogger(ShareLinks.class);

    /** Tokens start with this, so that a leaked one is easy to recognise. */
    public static final String PREFIX = "picam_share_";

    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    /** What a new link is made of (validated by the API). */
    public record NewLink(String label, int expiresInHours, String pin, Integer maxViewers, boolean recordings) {}

    /** A new link: the only time its token is shown. */
    public record IssuedLink(long id, String token, Instant expiresAt) {}

    /** A link as the admin list shows it: never the token. */
    public record LinkView(
            long id,
            String streamId,
            String label,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            boolean pin,
            Integer maxViewers,
            boolean recordings,
            Instant revokedAt,
            Instant lastUsedAt) {
        static LinkView of(ShareLink l) {
            return new LinkView(
                    l.id,
                    l.streamId,
                    l.label,
                    l.createdBy,
                    l.createdAt,
                    l.expiresAt,
                    l.pinHash != null,
                    l.maxViewers,
                    l.recordings,
                    l.revokedAt,
                    l.lastUsedAt);
        }
    }

    /** A link as requests see it, detached from the persistence context. */
    public record LiveLink(
            long id,
            String streamId,
            String tokenHash,
            String label,
            Instant expiresAt,
            String pinHash,
            Integer maxViewers,
            boolean recordings,
            Instant revokedAt) {
        static LiveLink of(ShareLink l) {
            return new LiveLink(
                    l.id,
                    l.streamId,
                    l.tokenHash,
                    l.label,
                    l.expiresAt,
                    l.pinHash,
                    l.maxViewers,
                    l.recordings,
                    l.revokedAt);
        }

        public boolean hasPin() {
            return pinHash != null;
        }

        public boolean activeAt(Instant now) {
            return revokedAt == null && now.isBefore(expiresAt);
        }

        public ShareGrant grant() {
            return new ShareGrant(id, streamId, recordings, maxViewers, expiresAt);
        }
    }

    private final Event<ShareLinkEnded> ended;
    private final ShareCookie cookie;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();
    private final RecentAnswers<Long, LiveLink> live;
    /** Addresses that have used each link (on this instance): the first use from each goes to the audit log. */
    private final Cache<String, Boolean> seen = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofDays(1))
            .build();
    /** When "last used" was last written, per link. */
    private final Cache<Long, Instant> lastWritten = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(LAST_USED_GRANULARITY)
            .build();

    public ShareLinks(Event<ShareLinkEnded> ended, ShareCookie cookie, AuditLog audit, RelayConfig config) {
        this.ended = ended;
        this.cookie = cookie;
        this.audit = audit;
        this.live = new RecentAnswers<>(config.access().cacheFor(), 10_000);
    }

    /** A new link of the stream; {@code byViewer}: made under the stream's "viewers may share" ({@link ViewerLinks}). */
    @Transactional
    public IssuedLink create(String streamId, NewLink request, String createdBy, boolean byViewer) {
        if (CameraStream.findById(streamId) == null) {
            throw new NotFoundException("no stream " + streamId);
        }
        String token = PREFIX + StreamSecrets.newSecret();
        ShareLink l = new ShareLink();
        l.streamId = streamId;
        l.tokenHash = StreamSecrets.hash(token);
        l.label = request.label().strip();
        l.createdBy = createdBy;
        l.createdAt = clock.instant();
        l.expiresAt = l.createdAt.plus(Duration.ofHours(request.expiresInHours()));
        l.pinHash = request.pin() == null ? null : BcryptUtil.bcryptHash(request.pin());
        l.maxViewers = request.maxViewers();
        l.recordings = request.recordings();
        l.byViewer = byViewer;
        l.persist();
        return new IssuedLink(l.id, token, l.expiresAt);
    }

    /** The stream's links, newest first (ended ones too, until the stream goes); 404 for an unknown stream. */
    @Transactional
    public List<LinkView> list(String streamId) {
        if (CameraStream.findById(streamId) == null) {
            throw new NotFoundException("no stream " + streamId);
        }
        return ShareLink.ofStream(streamId).stream().map(LinkView::of).toList();
    }

    /** Revokes a link: it fails at once and its sockets close everywhere. Again is harmless. */
    @Transactional
    public LinkView revoke(long id) {
        ShareLink l = ShareLink.<ShareLink>findByIdOptional(id)
                .orElseThrow(() -> new NotFoundException("no share link " + id));
        if (l.revokedAt == null) {
            l.revokedAt = clock.instant();
        }
        ended.fire(ShareLinkEnded.revoked(id));
        return LinkView.of(l);
    }

    /** The link a presented token names, whatever its state (the page tells ended from unknown). Blocking. */
    @Transactional
    public Optional<LiveLink> byToken(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        return ShareLink.findByHash(StreamSecrets.hash(token)).map(LiveLink::of);
    }

    /** What a presented cookie lets its browser do, when it names a live link. Blocking (usually from memory). */
    public Optional<ShareGrant> authenticate(String cookieValue) {
        long id = ShareCookie.linkId(cookieValue).orElse(-1);
        if (id < 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return live.get(id, ShareLinks::load)
                .filter(l -> l.activeAt(now))
                .filter(l -> cookie.matches(cookieValue, l.id(), l.tokenHash()))
                .map(LiveLink::grant);
    }

    /** Whether the PIN is the link's (bcrypt: slow on purpose, so callers throttle before asking). */
    public boolean pinMatches(LiveLink link, String pin) {
        return link.hasPin() && pin != null && pin.length() <= 12 && BcryptUtil.matches(pin, link.pinHash());
    }

    /** The Set-Cookie value for a browser that may now watch the link. */
    public String cookieFor(HttpServerRequest request, LiveLink link) {
        return cookie.issue(request, link.id(), link.tokenHash(), link.expiresAt());
    }

    /**
     * The link was used (its page opened, a socket connected) from {@code address}: the first use from each address
     * goes to the audit log, and "last used" is written at most once a minute. Blocking.
     */
    public void used(LiveLink link, String address) {
        Instant now = clock.instant();
        String key = link.id() + "|" + address;
        try {
            if (seen.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
                audit.record(
                        null,
                        Action.SHARE_LINK_USED,
                        "share link " + link.id(),
                        link.label() + ", stream " + link.streamId(),
                        address);
            }
            if (lastWritten.asMap().putIfAbsent(link.id(), now) == null) {
                QuarkusTransaction.requiringNew()
                        .run(() -> ShareLink.update("lastUsedAt = ?1 where id = ?2", now, link.id()));
            }
        } catch (RuntimeException e) {
            // the database away: the viewer still watches; the first use is noted at the next one
            seen.invalidate(key);
            lastWritten.invalidate(link.id());
            LOG.debugf("Use of share link %d not noted now (%s)", link.id(), e.toString());
        }
    }

    /** {@link #used(LiveLink, String)} for a link known by its id (the viewer socket's). Blocking. */
    public void used(long linkId, String address) {
        live.peek(linkId).ifPresent(l -> used(l, address));
    }

    /** Of these links, the ones that are revoked or expired now (or gone with their stream). One query. */
    @Transactional
    public List<Long> endedAmong(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Long> active = ShareLink.getEntityManager()
                .createQuery(
                        "select l.id from ShareLink l where l.id in ?1 and l.revokedAt is null and l.expiresAt > ?2",
                        Long.class)
                .setParameter(1, ids)
                .setParameter(2, clock.instant())
                .getResultList();
        return ids.stream().filter(id -> !active.contains(id)).toList();
    }

    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) ShareLinkEnded event) {
        live.invalidateIf((id, link) -> event.covers(id));
    }

    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) StreamDeleted event) {
        live.invalidateIf((id, link) -> link.streamId().equals(event.streamId()));
    }

    private static Optional<LiveLink> load(long id) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> ShareLink.<ShareLink>findByIdOptional(id).map(LiveLink::of));
    }
}
