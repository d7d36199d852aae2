package io.picam.relay.share;

import java.util.Set;

/**
 * Share links were revoked or ran out: the sockets they opened close, and whatever remembered them forgets them, on
 * every instance. A revocation is fired in its transaction and carried by the cluster ({@code remote} when it came
 * from another instance); an expiry each instance finds itself ({@link ShareLinkWatch}), so it is fired as remote.
 */
public record ShareLinkEnded(Set<Long> linkIds, boolean remote) {

    public static ShareLinkEnded revoked(long linkId) {
        return new ShareLinkEnded(Set.of(linkId), false);
    }

    public boolean covers(long linkId) {
        return linkIds.contains(linkId);
    }
}
