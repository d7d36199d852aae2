package io.picam.relay.security;

import io.picam.relay.account.Credential;
import io.picam.relay.share.ShareGrant;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.Optional;

/** The {@link Credential} a request was authenticated with, as an attribute of its security identity. */
public final class CallerCredential {

    static final String ATTRIBUTE = "picam.credential";

    private CallerCredential() {}

    public static Optional<Credential> of(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous()
                ? Optional.empty()
                : Optional.ofNullable(identity.getAttribute(ATTRIBUTE));
    }

    /** The share link the caller holds the cookie of, when that is what authenticated it. */
    public static Optional<ShareGrant> share(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous()
                ? Optional.empty()
                : Optional.ofNullable(identity.getAttribute(ShareGrant.ATTRIBUTE));
    }

    /** True when the caller used a personal access token (never true for a login). */
    public static boolean isToken(SecurityIdentity identity) {
        return of(identity).map(Credential::isToken).orElse(false);
    }

    /** The caller's login session id, 0 when the caller is not a login. */
    public static long sessionId(SecurityIdentity identity) {
        return of(identity)
                .filter(c -> c.kind() == Credential.Kind.SESSION)
                .map(Credential::id)
                .orElse(0L);
    }
}
