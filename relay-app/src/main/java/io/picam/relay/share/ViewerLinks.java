package io.picam.relay.share;

import io.picam.relay.account.AccessChanged;
import io.picam.relay.account.Role;
import io.picam.relay.account.User;
import io.picam.relay.audit.AuditLog;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.domain.ForbiddenException;
import io.picam.relay.domain.NotFoundException;
import io.picam.relay.share.ShareLinks.IssuedLink;
import io.picam.relay.share.ShareLinks.LinkView;
import io.picam.relay.share.ShareLinks.NewLink;
import io.picam.relay.stream.CameraStream;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Share links made by viewers: a user granted a stream may make, list and revoke their own links of it while an admin
 * lets the stream's viewers share ({@code viewers_may_share}); admins may always, and see everyone's. A viewer's link
 * lives only as long as its maker could make it again: turning the setting off, withdrawing the grant or deleting the
 * user revokes it in that same transaction and fires {@link ShareLinkEnded}, so its sockets close on every instance.
 */
@ApplicationScoped
public class ViewerLinks {

    /** Who asks: a user by name, and whether they are an admin. */
    public record Caller(String username, boolean admin) {
        public static Caller of(SecurityIdentity identity) {
            return new Caller(identity.getPrincipal().getName(), identity.hasRole(Role.ADMIN.id()));
        }

        boolean owns(ShareLink link) {
            return admin || username.equalsIgnoreCase(link.createdBy);
        }
    }

    private final ShareLinks links;
    private final AuditLog audit;
    private final Event<ShareLinkEnded> ended;

    public ViewerLinks(ShareLinks links, AuditLog audit, Event<ShareLinkEnded> ended) {
        this.links = links;
        this.audit = audit;
        this.ended = ended;
    }

    /** Whether the caller may make links of the stream now (read from the database: for pages and checks). */
    @Transactional
    public boolean mayShare(Caller caller, String streamId) {
        CameraStream stream = CameraStream.findById(streamId);
        return stream != null && (caller.admin() || viewerMayShare(User.findByUsername(caller.username()), stream));
    }

    /**
     * A new link of the stream, made by the caller: 404 for an unknown stream, 403 when a viewer may not watch it or
     * its admins have not let viewers share it. The stream's row is locked, so that turning the setting off cannot
     * miss a link made meanwhile.
     */
    @Transactional
    public IssuedLink create(Caller caller, String streamId, NewLink request) {
        CameraStream stream = CameraStream.findById(streamId, LockModeType.PESSIMISTIC_WRITE);
        if (stream == null) {
            throw new NotFoundException("no stream " + streamId);
        }
        if (!caller.admin()) {
            Optional<User> user = User.findByUsername(caller.username());
            if (user.isEmpty() || !CameraStream.isGranted(streamId, user.get().id)) {
                throw new ForbiddenException("you may not watch stream " + streamId);
            }
            if (!stream.viewersMayShare) {
                throw new ForbiddenException("an admin has not allowed the viewers of stream " + streamId
                        + " to make share links; ask an admin to allow it or to make the link");
            }
        }
        return links.create(streamId, request, caller.username(), !caller.admin());
    }

    /** The caller's links of the stream (an admin's: everyone's), newest first, ended ones too. */
    @Transactional
    public List<LinkView> list(Caller caller, String streamId) {
        if (CameraStream.findById(streamId) == null) {
            throw new NotFoundException("no stream " + streamId);
        }
        List<ShareLink> found = caller.admin()
                ? ShareLink.ofStream(streamId)
                : ShareLink.list(
                        "streamId = ?1 and lower(createdBy) = ?2 order by createdAt desc, id desc",
                        streamId,
                        caller.username().toLowerCase(Locale.ROOT));
        return found.stream().map(LinkView::of).toList();
    }

    /** Revokes one of the caller's links (an admin: any); 404 for an unknown link and for someone else's alike. */
    @Transactional
    public LinkView revoke(Caller caller, long linkId) {
        ShareLink.<ShareLink>findByIdOptional(linkId)
                .filter(caller::owns)
                .orElseThrow(() -> new NotFoundException("no share link " + linkId));
        return links.revoke(linkId);
    }

    /** Lets the stream's viewers make links, or stops them: their links end at once. The number of links ended. */
    @Transactional
    public int letViewersShare(String streamId, boolean allowed) {
        CameraStream stream = CameraStream.findById(streamId, LockModeType.PESSIMISTIC_WRITE);
        if (stream == null) {
            throw new NotFoundException("no stream " + streamId);
        }
        stream.viewersMayShare = allowed;
        if (allowed) {
            return 0;
        }
        List<ShareLink> open = ShareLink.list(
                "streamId = ?1 and byViewer = true and revokedAt is null and expiresAt > ?2", streamId, Instant.now());
        end(open, "viewers may no longer share the stream");
        return open.size();
    }

    /**
     * A user's grants, roles or account changed (inside that change's transaction, so the links end with it): their
     * viewer links of streams they may no longer share are revoked. Another instance's change was handled there; its
     * event arrives here on the event loop, where no transaction may start, so it must be left before any
     * (an interceptor's transaction would fail there and stop the other observers, which forget the user's
     * remembered rights).
     */
    void accessChanged(@Observes AccessChanged event) {
        if (event.remote()) {
            return;
        }
        if (QuarkusTransaction.isActive()) {
            endLinksOf(event.username());
        } else {
            QuarkusTransaction.requiringNew().run(() -> endLinksOf(event.username()));
        }
    }

    private void endLinksOf(String username) {
        ShareLink.getEntityManager().flush(); // the change (a grant removed, the user deleted) is what we read
        List<ShareLink> open = ShareLink.list(
                "byViewer = true and lower(createdBy) = ?1 and revokedAt is null and expiresAt > ?2",
                username.toLowerCase(Locale.ROOT),
                Instant.now());
        if (open.isEmpty()) {
            return;
        }
        Optional<User> user = User.findByUsername(username);
        List<ShareLink> ending = open.stream()
                .filter(l -> !viewerMayShare(user, CameraStream.findById(l.streamId)))
                .toList();
        end(ending, user.isEmpty() ? "its maker was deleted" : "its maker may no longer share the stream");
    }

    private static boolean viewerMayShare(Optional<User> user, CameraStream stream) {
        return stream != null
                && stream.viewersMayShare
                && user.isPresent()
                && (user.get().roleSet().contains(Role.ADMIN) || CameraStream.isGranted(stream.id, user.get().id));
    }

    private void end(List<ShareLink> ending, String why) {
        if (ending.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        Set<Long> ids = new HashSet<>();
        for (ShareLink l : ending) {
            l.revokedAt = now;
            ids.add(l.id);
            audit.record(
                    null,
                    Action.SHARE_LINK_REVOKED,
                    "share link " + l.id,
                    l.label + ", stream " + l.streamId + ", made by " + l.createdBy + ": " + why,
                    null);
        }
        ended.fire(new ShareLinkEnded(ids, false));
    }
}
