package io.picam.relay.share;

import java.time.Instant;

/**
 * What a browser holding a share link's cookie may do: watch one stream (and its recordings when the link says so)
 * until the link ends. Kept on its security identity; the identity has no roles and no user behind it.
 */
public record ShareGrant(long linkId, String streamId, boolean recordings, Integer maxViewers, Instant expiresAt) {

    /** The security identity attribute that holds it. */
    public static final String ATTRIBUTE = "picam.share";

    /** The identity's principal name: never a username (those have no ':'). */
    public String principal() {
        return "share:" + linkId;
    }

    /** The key under which {@link io.picam.relay.account.Credential} sockets of this link are known. */
    public String credentialKey() {
        return "l:" + linkId;
    }
}
