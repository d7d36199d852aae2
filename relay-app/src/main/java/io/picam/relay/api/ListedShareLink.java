package io.picam.relay.api;

import io.picam.relay.share.ShareLinks.LinkView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A share link in a list: its settings and use ({@code viewersNow}: its sockets on the instance that answers). */
public record ListedShareLink(
        long id,
        String label,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        boolean pin,
        Integer maxViewers,
        boolean recordings,
        Instant revokedAt,
        Instant lastUsedAt,
        boolean active,
        int viewersNow) {

    /** The links as listed, with the number of sockets each has open here (by link id). */
    public static List<ListedShareLink> of(List<LinkView> links, Map<Long, Integer> viewers) {
        Instant now = Instant.now();
        return links.stream()
                .map(l -> of(l, now, viewers.getOrDefault(l.id(), 0)))
                .toList();
    }

    private static ListedShareLink of(LinkView l, Instant now, int viewersNow) {
        return new ListedShareLink(
                l.id(),
                l.label(),
                l.createdBy(),
                l.createdAt(),
                l.expiresAt(),
                l.pin(),
                l.maxViewers(),
                l.recordings(),
                l.revokedAt(),
                l.lastUsedAt(),
                l.revokedAt() == null && now.isBefore(l.expiresAt()),
                viewersNow);
    }
}
