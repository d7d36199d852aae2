package io.picam.relay.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.relay.share.ShareGrant;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a share link's cookie reaches, path by path (the Quarkus tests check the same through real requests). */
class ShareFenceTest {

    private static final ShareGrant LIVE_ONLY = new ShareGrant(7, "cam1", false, null, Instant.MAX);
    private static final ShareGrant WITH_RECORDINGS = new ShareGrant(8, "cam1", true, 2, Instant.MAX);

    @Test
    void itsOwnStreamsSocketSnapshotAndPageAndTheStaticFiles() {
        for (String path : new String[] {
            "/ws/streams/cam1",
            "/api/streams/cam1/snapshot.jpg",
            "/s/picam_share_x",
            "/s/picam_share_x/recordings",
            "/static/player.js",
            "/vendor/jsmpeg/jsmpeg-player.umd.min.js"
        }) {
            assertThat(ShareFence.allows(LIVE_ONLY, "GET", path)).as(path).isTrue();
        }
        assertThat(ShareFence.allows(LIVE_ONLY, "POST", "/s/picam_share_x"))
                .as("the PIN form")
                .isTrue();
    }

    @Test
    void recordingsOnlyWhenTheLinkAllowsThem() {
        for (String path : new String[] {
            "/api/streams/cam1/recordings",
            "/api/streams/cam1/recordings/segments/3",
            "/api/streams/cam1/recordings/clip"
        }) {
            assertThat(ShareFence.allows(WITH_RECORDINGS, "GET", path)).as(path).isTrue();
            assertThat(ShareFence.allows(LIVE_ONLY, "GET", path)).as(path).isFalse();
        }
        assertThat(ShareFence.allows(WITH_RECORDINGS, "GET", "/api/streams/cam1/recordingsX"))
                .isFalse();
    }

    @Test
    void nothingElse() {
        for (String path : new String[] {
            "/",
            "/admin",
            "/account",
            "/streams/cam1",
            "/api/streams",
            "/api/me",
            "/api/streams/cam2/snapshot.jpg",
            "/ws/streams/cam2",
            "/ws/streams/cam1/x",
            "/api/streams/cam1",
            "/api/admin/streams/cam1/links",
            "/q/metrics",
            "/api/tokens",
            "/logout"
        }) {
            assertThat(ShareFence.allows(WITH_RECORDINGS, "GET", path)).as(path).isFalse();
        }
        assertThat(ShareFence.allows(WITH_RECORDINGS, "POST", "/api/admin/streams/cam1/links"))
                .isFalse();
        assertThat(ShareFence.allows(WITH_RECORDINGS, "DELETE", "/api/admin/links/8"))
                .isFalse();
        // a link makes no links: that takes a login or a token of a viewer the stream lets share
        assertThat(ShareFence.allows(WITH_RECORDINGS, "POST", "/api/streams/cam1/links"))
                .isFalse();
        assertThat(ShareFence.allows(WITH_RECORDINGS, "GET", "/api/streams/cam1/links"))
                .isFalse();
        assertThat(ShareFence.allows(WITH_RECORDINGS, "DELETE", "/api/links/8")).isFalse();
        assertThat(ShareFence.allows(WITH_RECORDINGS, "PUT", "/ws/streams/cam1"))
                .isFalse();
    }

    @Test
    void theLoginAndTheCameraUploadNeverLookAtTheShareCookie() {
        assertThat(ShareFence.ignores("/login")).isTrue();
        assertThat(ShareFence.ignores("/j_security_check")).isTrue();
        assertThat(ShareFence.ignores("/ingest/cam1")).isTrue();
        assertThat(ShareFence.ignores("/api/streams")).isFalse();
        assertThat(ShareFence.ignores("/admin")).isFalse();
    }
}
