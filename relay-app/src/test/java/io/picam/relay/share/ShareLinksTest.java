package io.picam.relay.share;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.picam.relay.audit.AuditEntry;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.stream.StreamSecrets;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Share links end to end: the admin API, the page without an account, the fence, the PIN, the end of a link. */
@QuarkusTest
class ShareLinksTest {

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    private StreamCatalog.Created stream;
    private String admin;

    @BeforeEach
    void newStream() {
        stream = accounts.newStream(StreamFormat.MPEGTS);
        admin = Sessions.admin();
    }

    private String id() {
        return stream.stream().id();
    }

    private ExtractableResponse<Response> create(String body) {
        return Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/admin/streams/" + id() + "/links")
                .then()
                .statusCode(201)
                .extract();
    }

    /** A link's token (shown once), made with the given extra fields. */
    private String newLink(String extra) {
        return create("{\"label\":\"for the neighbour\",\"expiresInHours\":24" + extra + "}")
                .path("token");
    }

    private static long linkId(String token) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ShareLink.findByHash(StreamSecrets.hash(token)).orElseThrow().id);
    }

    /** Opens the link's page as a fresh browser would, and returns the cookie it was given. */
    private static String open(String token) {
        Cookie cookie = given().get("/s/" + token)
                .then()
                .statusCode(200)
                .body(containsString("id=\"player\""))
                .extract()
                .detailedCookie(ShareCookie.NAME);
        assertThat(cookie).as("the share cookie").isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualToIgnoringCase("Lax");
        assertThat(cookie.getPath()).isEqualTo("/");
        return cookie.getValue();
    }

    private static Map<String, String> withCookie(String share) {
        return Map.of("Cookie", ShareCookie.NAME + "=" + share);
    }

    private static List<String> auditActions(String target) {
        return QuarkusTransaction.requiringNew()
                .call(() -> AuditEntry.newest(500).stream()
                        .filter(e -> target.equals(e.target))
                        .map(e -> e.action)
                        .toList());
    }

    @Test
    void anAdminMakesListsAndRevokesLinksAndTheTokenIsShownOnlyOnce() {
        ExtractableResponse<Response> created = create(
                "{\"label\":\"for the neighbour\",\"expiresInHours\":48,\"pin\":\"4321\",\"maxViewers\":2,\"recordings\":true}");
        String token = created.path("token");
        long linkId = created.<Number>path("id").longValue();
        assertThat(token).startsWith(ShareLinks.PREFIX).hasSizeGreaterThan(ShareLinks.PREFIX.length() + 40);
        assertThat(created.<String>path("url"))
                .isEqualTo(relay.resolve("/s/" + token).toString());
        assertThat(created.header("Location")).isEqualTo(created.<String>path("url"));

        String list = Sessions.page(admin)
                .get("/api/admin/streams/" + id() + "/links")
                .then()
                .statusCode(200)
                .body("[0].id", equalTo((int) linkId))
                .body("[0].label", equalTo("for the neighbour"))
                .body("[0].pin", equalTo(true))
                .body("[0].maxViewers", equalTo(2))
                .body("[0].recordings", equalTo(true))
                .body("[0].active", equalTo(true))
                .body("[0].viewersNow", equalTo(0))
                .extract()
                .asString();
        assertThat(list).doesNotContain(token).doesNotContain("4321").doesNotContain("token");

        Sessions.page(admin).delete("/api/admin/links/" + linkId).then().statusCode(204);
        Sessions.page(admin)
                .get("/api/admin/streams/" + id() + "/links")
                .then()
                .body("[0].active", equalTo(false))
                .body("[0].revokedAt", not(equalTo(null)));
        given().get("/s/" + token).then().statusCode(410).body(containsString("This link is not valid"));
        given().get("/s/" + ShareLinks.PREFIX + "no-such-token")
                .then()
                .statusCode(404)
                .body(containsString("This link is not valid"));
        Sessions.page(admin).delete("/api/admin/links/999999999").then().statusCode(404);
        assertThat(auditActions("share link " + linkId)).contains("share-link-created", "share-link-revoked");
    }

    @Test
    void badLinksAreRefusedWithClearMessagesAndOnlyAdminsMakeThem() {
        Map<String, String> bad = Map.of(
                "{\"expiresInHours\":24}",
                "label is required",
                "{\"label\":\"x\"}",
                "expiresInHours is required",
                "{\"label\":\"x\",\"expiresInHours\":0}",
                "expiresInHours is 1 to 720",
                "{\"label\":\"x\",\"expiresInHours\":721}",
                "expiresInHours is 1 to 720",
                "{\"label\":\"x\",\"expiresInHours\":1,\"pin\":\"123\"}",
                "pin is 4 to 12 digits",
                "{\"label\":\"x\",\"expiresInHours\":1,\"pin\":\"12a4\"}",
                "pin is 4 to 12 digits",
                "{\"label\":\"x\",\"expiresInHours\":1,\"maxViewers\":0}",
                "maxViewers is 1 to 1000",
                "{\"label\":\"" + "x".repeat(101) + "\",\"expiresInHours\":1}",
                "label is at most 100 characters");
        bad.forEach((body, message) -> Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/admin/streams/" + id() + "/links")
                .then()
                .statusCode(400)
                .body(containsString(message)));
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"label\":\"x\",\"expiresInHours\":1}")
                .post("/api/admin/streams/no-such-stream/links")
                .then()
                .statusCode(404);

        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        Sessions.page(viewer)
                .contentType(ContentType.JSON)
                .body("{\"label\":\"x\",\"expiresInHours\":1}")
                .post("/api/admin/streams/" + id() + "/links")
                .then()
                .statusCode(403);
        Sessions.page(viewer)
                .get("/api/admin/streams/" + id() + "/links")
                .then()
                .statusCode(403);
    }

    @Test
    void aBrowserWithoutAnAccountWatchesTheStreamAndCountsAsAViewer() throws Exception {
        String token = newLink("");
        long linkId = linkId(token);
        String share = open(token);
        Path log = Files.createTempFile("ffmpeg-share", ".log");
        try (LiveViewer viewer = LiveViewer.open(relay, id(), null, withCookie(share))) {
            Process ffmpeg = TestMedia.publishWithFfmpeg(relay.getPort(), id(), stream.secret(), 4, log);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> viewer.byteCount() > 10_000);
                assertThat(viewer.texts()).anyMatch(t -> t.contains("\"live\":true"));
                Sessions.page(admin)
                        .get("/api/streams")
                        .then()
                        .body("find { it.id == '" + id() + "' }.viewers", equalTo(1));
                Sessions.page(admin)
                        .get("/api/admin/streams/" + id() + "/links")
                        .then()
                        .body("[0].viewersNow", equalTo(1))
                        .body("[0].lastUsedAt", not(equalTo(null)));
            } finally {
                ffmpeg.destroy();
                ffmpeg.waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(auditActions("share link " + linkId)).contains("share-link-used");
    }

    @Test
    void theShareCookieReachesNothingButItsOwnStream() {
        String share = open(newLink(""));
        StreamCatalog.Created other = accounts.newStream(StreamFormat.MPEGTS);
        String otherId = other.stream().id();

        // its own stream: the socket (below) and the snapshot
        given().cookie(ShareCookie.NAME, share)
                .get("/api/streams/" + id() + "/snapshot.jpg")
                .then()
                .statusCode(204); // no picture yet, but allowed
        for (String path : List.of(
                "/api/streams",
                "/api/me",
                "/api/sessions",
                "/api/tokens",
                "/api/admin/streams",
                "/api/admin/streams/" + id() + "/links",
                "/api/streams/" + id() + "/recordings", // not ticked for this link
                "/api/streams/" + otherId + "/snapshot.jpg",
                "/",
                "/admin",
                "/account",
                "/streams/" + id(),
                "/streams/" + otherId,
                "/q/metrics")) {
            given().cookie(ShareCookie.NAME, share)
                    .redirects()
                    .follow(false)
                    .get(path)
                    .then()
                    .statusCode(403);
        }
        given().cookie(ShareCookie.NAME, share)
                .contentType(ContentType.JSON)
                .body("{\"label\":\"x\",\"expiresInHours\":1}")
                .post("/api/admin/streams/" + id() + "/links")
                .then()
                .statusCode(403);
        assertThat(LiveViewer.refusal(relay, otherId, null, withCookie(share))).isEqualTo(403);
        try (LiveViewer own = LiveViewer.open(relay, id(), null, withCookie(share))) {
            await().until(() -> !own.texts().isEmpty());
        }
        // a forged cookie is no cookie at all
        assertThat(LiveViewer.refusal(relay, id(), null, withCookie(share.substring(0, share.length() - 2) + "xx")))
                .isEqualTo(401);
    }

    @Test
    void aLinkMadeWithRecordingsReachesTheStreamsRecordingsAndOnlyThen() {
        String token = newLink(",\"recordings\":true");
        String share = open(token);
        given().cookie(ShareCookie.NAME, share)
                .get("/s/" + token)
                .then()
                .body(containsString("href=\"/s/" + token + "/recordings\""));
        given().cookie(ShareCookie.NAME, share)
                .get("/s/" + token + "/recordings")
                .then()
                .statusCode(200)
                .body(containsString("id=\"recordings\""))
                .body(not(containsString("href=\"/streams/")));
        given().cookie(ShareCookie.NAME, share)
                .get("/api/streams/" + id() + "/recordings")
                .then()
                .statusCode(200);
        given().cookie(ShareCookie.NAME, share)
                .get("/api/streams/" + id() + "/recordings/segments")
                .then()
                .statusCode(200);
        // without the cookie the recordings page sends the browser to the link first
        given().redirects()
                .follow(false)
                .get("/s/" + token + "/recordings")
                .then()
                .statusCode(303);

        String liveOnly = newLink("");
        String liveShare = open(liveOnly);
        given().cookie(ShareCookie.NAME, liveShare)
                .get("/s/" + liveOnly)
                .then()
                .body(not(containsString("/recordings")));
        given().cookie(ShareCookie.NAME, liveShare)
                .get("/s/" + liveOnly + "/recordings")
                .then()
                .statusCode(404);
    }

    @Test
    void theLinksTokenItselfOpensNoApi() {
        String token = newLink("");
        given().header("Authorization", "Bearer " + token)
                .get("/api/streams")
                .then()
                .statusCode(401);
        assertThat(LiveViewer.refusal(relay, id(), null, Map.of("Authorization", "Bearer " + token)))
                .isEqualTo(401);
    }

    @Test
    void aLinkWithAPinAsksForItRefusesWrongOnesAndThrottlesGuessing() {
        String token = newLink(",\"pin\":\"4321\"");
        given().get("/s/" + token)
                .then()
                .statusCode(200)
                .body(containsString("needs a PIN"))
                .header("Set-Cookie", equalTo(null));

        String guesser = "198.51.100." + (int) (Math.random() * 200 + 20);
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", guesser)
                    .formParam("pin", "000" + i)
                    .redirects()
                    .follow(false)
                    .post("/s/" + token)
                    .then()
                    .statusCode(403)
                    .body(containsString("Wrong PIN"))
                    .header("Set-Cookie", equalTo(null));
        }
        given().header("X-Forwarded-For", guesser)
                .formParam("pin", "4321") // even the right one: throttled before it is checked
                .redirects()
                .follow(false)
                .post("/s/" + token)
                .then()
                .statusCode(429)
                .header("Retry-After", not(equalTo(null)))
                .body(containsString("Too many wrong PINs"));

        // someone else, with the right PIN, gets in
        Response right = given().header("X-Forwarded-For", "203.0.113.77")
                .formParam("pin", "4321")
                .redirects()
                .follow(false)
                .post("/s/" + token);
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.header("Location")).endsWith("/s/" + token);
        String share = right.detailedCookie(ShareCookie.NAME).getValue();
        given().cookie(ShareCookie.NAME, share)
                .get("/s/" + token)
                .then()
                .statusCode(200)
                .body(containsString("id=\"player\""));
        try (LiveViewer viewer = LiveViewer.open(relay, id(), null, withCookie(share))) {
            await().until(() -> !viewer.texts().isEmpty());
        }
    }

    @Test
    void revokingALinkClosesItsOpenSocketAndRefusesItFromThenOn() {
        String token = newLink("");
        String share = open(token);
        try (LiveViewer viewer = LiveViewer.open(relay, id(), null, withCookie(share));
                LiveViewer member = LiveViewer.open(relay, id(), admin)) {
            await().until(() -> !viewer.texts().isEmpty());
            Sessions.page(admin)
                    .delete("/api/admin/links/" + linkId(token))
                    .then()
                    .statusCode(204);
            await().atMost(Duration.ofSeconds(10)).until(viewer::closed);
            assertThat(viewer.closeStatus()).isEqualTo((short) 1008);
            assertThat(member.closed()).as("a login's socket stays").isFalse();
        }
        assertThat(LiveViewer.refusal(relay, id(), null, withCookie(share))).isEqualTo(401);
    }

    @Test
    void anExpiredLinkClosesItsOpenSocket() {
        String token = newLink("");
        String share = open(token);
        long linkId = linkId(token);
        try (LiveViewer viewer = LiveViewer.open(relay, id(), null, withCookie(share))) {
            await().until(() -> !viewer.texts().isEmpty());
            // the link runs out (written as if its time had come)
            QuarkusTransaction.requiringNew()
                    .run(() -> ShareLink.update(
                            "expiresAt = ?1 where id = ?2", Instant.now().minusSeconds(1), linkId));
            await().atMost(Duration.ofSeconds(10)).until(viewer::closed);
            assertThat(viewer.closeStatus()).isEqualTo((short) 1008);
        }
        given().get("/s/" + token).then().statusCode(410);
        assertThat(LiveViewer.refusal(relay, id(), null, withCookie(share))).isEqualTo(401);
    }

    @Test
    void aLinksViewerLimitCountsItsSockets() {
        String share = open(newLink(",\"maxViewers\":1"));
        try (LiveViewer first = LiveViewer.open(relay, id(), null, withCookie(share))) {
            await().until(() -> !first.texts().isEmpty());
            assertThat(LiveViewer.refusal(relay, id(), null, withCookie(share))).isEqualTo(429);
        }
    }

    @Test
    void aLoggedInBrowserThatOpenedALinkKeepsItsLoginElsewhereAndWatchesThroughTheLink() {
        String share = open(newLink(""));
        given().cookie(ShareCookie.NAME, share)
                .cookie(Sessions.COOKIE, admin)
                .get("/admin")
                .then()
                .statusCode(200)
                .body(startsWith("<!DOCTYPE html>"));
        // a viewer without a grant for this stream watches it through the link
        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        assertThat(LiveViewer.refusal(relay, id(), viewer)).isEqualTo(403);
        Map<String, String> bothCookies =
                Map.of("Cookie", Sessions.COOKIE + "=" + viewer + "; " + ShareCookie.NAME + "=" + share);
        try (LiveViewer both = LiveViewer.open(relay, id(), null, bothCookies)) {
            await().until(() -> !both.texts().isEmpty());
        }
        given().cookie(ShareCookie.NAME, share)
                .cookie(Sessions.COOKIE, viewer)
                .get("/api/me")
                .then()
                .statusCode(200)
                .body("username", not(startsWith("share:")));
    }
}
