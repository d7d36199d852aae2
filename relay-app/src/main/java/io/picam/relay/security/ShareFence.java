package io.picam.relay.security;

import io.picam.relay.share.ShareGrant;

/**
 * What a share link's cookie may reach, and nothing else: its page and the static files, its stream's WebSocket and
 * snapshot, and that stream's recordings when the link allows them. Everything else (other streams, the rest of the
 * API, the admin and account pages, the camera list) is refused with 403 for it.
 */
public final class ShareFence {

    private ShareFence() {}

    public static boolean allows(ShareGrant grant, String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return method.equals("POST") && path.startsWith("/s/"); // the PIN form
        }
        if (path.startsWith("/s/") || path.startsWith("/static/") || path.startsWith("/vendor/")) {
            return true;
        }
        String stream = "/api/streams/" + grant.streamId();
        return path.equals("/ws/streams/" + grant.streamId())
                || path.equals(stream + "/snapshot.jpg")
                || grant.recordings()
                        && (path.equals(stream + "/recordings") || path.startsWith(stream + "/recordings/"));
    }

    /**
     * Paths where a share cookie is not even looked at: the login (a viewer who also has an account must be able to
     * log in), static files, the camera upload and the health checks.
     */
    static boolean ignores(String path) {
        return path.equals("/login")
                || path.equals("/j_security_check")
                || path.startsWith("/static/")
                || path.startsWith("/vendor/")
                || path.startsWith("/ingest/")
                || path.startsWith("/q/health");
    }

    /** Paths that a share link may reach depending on its stream: there a share cookie beats a login cookie. */
    static boolean mayBeShared(String path) {
        return path.startsWith("/ws/streams/") || path.startsWith("/api/streams/");
    }
}
