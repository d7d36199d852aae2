package io.picam.relay.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.picam.relay.support.TestPublisher;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rotation, grants and deletion take effect on live connections, not only on the next one. */
@QuarkusTest
class StreamAccessChangesTest {

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI relay;

    @Test
    void rotatingTheSecretCutsTheLiveFfmpegPublisherAndTheOldSecretFails() throws Exception {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        String id = stream.stream().id();
        String admin = Sessions.admin();
        Path log = Files.createTempFile("ffmpeg-rotate", ".log");
        try (LiveViewer viewer = LiveViewer.open(relay, id, admin)) {
            Process ffmpeg = TestMedia.publishWithFfmpeg(relay.getPort(), id, stream.secret(), 60, log);
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> viewer.texts().stream().anyMatch(t -> t.contains("\"live\":true")));
                String secret = Sessions.page(admin)
                        .post("/api/admin/streams/{id}/secret", id)
                        .then()
                        .statusCode(200)
                        .body("id", equalTo(id))
                        .extract()
                        .path("secret");
                long rotated = System.nanoTime();
                assertThat(secret).isNotEqualTo(stream.secret()).matches("[A-Za-z0-9_-]{43}");
                await().atMost(Duration.ofSeconds(1))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> viewer.texts().stream().anyMatch(t -> t.contains("\"live\":false")));
                System.out.printf(
                        "publisher cut %d ms after the rotation%n", (System.nanoTime() - rotated) / 1_000_000);
                assertThat(ffmpeg.waitFor(10, TimeUnit.SECONDS))
                        .as("ffmpeg sees its upload ended")
                        .isTrue();
                assertThat(viewer.closed()).as("viewers stay connected").isFalse();

                try (TestPublisher old = TestPublisher.open(relay, id, stream.secret())) {
                    old.write(TestMedia.tsClip());
                    old.finish();
                    await().until(old::answered);
                    assertThat(old.response().statusCode()).isEqualTo(401);
                }
                try (TestPublisher fresh = TestPublisher.open(relay, id, secret)) {
                    fresh.write(TestMedia.tsClip());
                    fresh.finish();
                    await().until(fresh::answered);
                    assertThat(fresh.response().statusCode()).isEqualTo(200);
                }
            } finally {
                ffmpeg.destroyForcibly();
            }
        }
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/admin/audit")
                .then()
                .body(
                        "find { it.action == 'secret-rotated' && it.target == '" + id + "' }.actor",
                        equalTo(TestAccounts.ADMIN))
                .body(not(containsString(stream.secret())));
    }

    @Test
    void grantingLetsAViewerInAndRevokingClosesTheirSocket() {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        String id = stream.stream().id();
        String name = accounts.newViewer();
        String session = Sessions.login(name, TestAccounts.PASSWORD);
        String admin = Sessions.admin();
        assertThat(LiveViewer.refusal(relay, id, session)).isEqualTo(403);

        Sessions.page(admin)
                .put("/api/admin/streams/{id}/viewers/{u}", id, name)
                .then()
                .statusCode(204);
        Sessions.page(admin)
                .put("/api/admin/streams/{id}/viewers/{u}", id, name)
                .then()
                .statusCode(204); // idempotent
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/admin/streams")
                .then()
                .body("find { it.id == '" + id + "' }.viewers", equalTo(List.of(name)))
                .body(not(containsString(stream.secret())));
        try (LiveViewer viewer = LiveViewer.open(relay, id, session)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !viewer.texts().isEmpty());
            Sessions.page(admin)
                    .delete("/api/admin/streams/{id}/viewers/{u}", id, name)
                    .then()
                    .statusCode(204);
            await().atMost(Duration.ofSeconds(10)).until(viewer::closed);
            assertThat(viewer.closeStatus()).isEqualTo((short) 1008);
        }
        assertThat(LiveViewer.refusal(relay, id, session)).isEqualTo(403);
        Sessions.page(admin)
                .put("/api/admin/streams/{id}/viewers/{u}", id, "nobody-at-all")
                .then()
                .statusCode(404)
                .body("detail", equalTo("no user nobody-at-all"));
        Sessions.page(admin)
                .put("/api/admin/streams/{id}/viewers/{u}", "no-such-stream", name)
                .then()
                .statusCode(404);
    }

    @Test
    void deletingAStreamClosesItsViewersAndForgetsIt() {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.FMP4);
        String id = stream.stream().id();
        String admin = Sessions.admin();
        try (LiveViewer viewer = LiveViewer.open(relay, id, admin)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !viewer.texts().isEmpty());
            Sessions.page(admin).delete("/api/admin/streams/{id}", id).then().statusCode(204);
            await().atMost(Duration.ofSeconds(10)).until(viewer::closed);
        }
        given().cookie(Sessions.COOKIE, admin).get("/api/streams").then().body("id", not(hasItem(id)));
        Sessions.page(admin).delete("/api/admin/streams/{id}", id).then().statusCode(404);
        Sessions.page(admin).post("/api/admin/streams/{id}/secret", id).then().statusCode(404);
        assertThat(LiveViewer.refusal(relay, id, admin)).isEqualTo(404);
    }

    @Test
    void viewersCannotUseTheAdminApi() {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        given().cookie(Sessions.COOKIE, viewer).get("/api/admin/streams").then().statusCode(403);
        Sessions.page(viewer)
                .post("/api/admin/streams/{id}/secret", stream.stream().id())
                .then()
                .statusCode(403);
        Sessions.page(viewer)
                .delete("/api/admin/streams/{id}", stream.stream().id())
                .then()
                .statusCode(403);
        given().post("/api/admin/streams/{id}/secret", stream.stream().id())
                .then()
                .statusCode(401);
    }
}
