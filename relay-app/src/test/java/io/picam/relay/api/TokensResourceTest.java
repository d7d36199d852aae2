package io.picam.relay.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.picam.relay.account.AccessToken;
import io.picam.relay.stream.CameraStream;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.stream.StreamSecrets;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokensResourceTest {

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI relay;

    /** A viewer granted a stream of their own, with a view token they made. */
    private record Watcher(String name, String streamId, long tokenId, String token) {}

    private Watcher watcherWithToken(String tokenName) {
        String name = accounts.newViewer();
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        accounts.grant(stream.stream().id(), name);
        ExtractableResponse<Response> created =
                newToken(Sessions.login(name, TestAccounts.PASSWORD), "{\"name\":\"" + tokenName + "\"}");
        return new Watcher(
                name, stream.stream().id(), created.<Number>path("id").longValue(), created.path("token"));
    }

    /** The watcher's socket, opened with their token, once its first message came. */
    private LiveViewer watching(Watcher w) {
        LiveViewer viewer = LiveViewer.open(relay, w.streamId(), null, Map.of("Authorization", "Bearer " + w.token()));
        await().atMost(Duration.ofSeconds(5)).until(() -> !viewer.texts().isEmpty());
        return viewer;
    }

    private static ExtractableResponse<Response> newToken(String session, String json) {
        return Sessions.page(session)
                .contentType(ContentType.JSON)
                .body(json)
                .post("/api/tokens")
                .then()
                .extract();
    }

    @Test
    void aTokenIsShownOnceAndActsForItsOwnerWithoutCsrf() {
        String admin = Sessions.admin();
        ExtractableResponse<Response> created =
                newToken(admin, "{\"name\":\"picam setup\",\"expiresInDays\":30,\"scopes\":[\"camera\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        String token = created.path("token");
        long id = created.<Number>path("id").longValue();
        assertThat(token).startsWith("picam_pat_").hasSizeGreaterThan(50);
        assertThat(created.<List<String>>path("scopes")).containsExactly("camera");
        assertThat(Instant.parse(created.<String>path("expiresAt")))
                .isBetween(
                        Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));

        AccessToken stored = QuarkusTransaction.requiringNew().call(() -> AccessToken.findById(id));
        assertThat(stored.tokenHash).isEqualTo(StreamSecrets.hash(token));
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/tokens")
                .then()
                .statusCode(200)
                .body("name", hasItem("picam setup"))
                .body(not(containsString(token)));

        // a script: no cookie, no CSRF token
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"By token\",\"format\":\"fmp4\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(201)
                .body("secret", notNullValue());
        given().auth()
                .oauth2(token)
                .get("/api/me")
                .then()
                .statusCode(200)
                .body("username", equalTo(TestAccounts.ADMIN));
        await().untilAsserted(() -> assertThat(
                        QuarkusTransaction.requiringNew().call(() -> AccessToken.<AccessToken>findById(id).lastUsedAt))
                .isNotNull());

        Sessions.page(admin).delete("/api/tokens/{id}", id).then().statusCode(204);
        given().auth().oauth2(token).get("/api/streams").then().statusCode(401);
    }

    @Test
    void aViewersTokenWatchesGrantedStreamsOnlyAndCannotAdminister() {
        StreamCatalog.Created granted = accounts.newStream(StreamFormat.MPEGTS);
        StreamCatalog.Created other = accounts.newStream(StreamFormat.MPEGTS);
        String name = accounts.newViewer();
        accounts.grant(granted.stream().id(), name);
        String token = newToken(Sessions.login(name, TestAccounts.PASSWORD), "{\"name\":\"kiosk\"}")
                .path("token");

        try (LiveViewer viewer =
                LiveViewer.open(relay, granted.stream().id(), null, Map.of("Authorization", "Bearer " + token))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !viewer.texts().isEmpty());
        }
        assertThat(LiveViewer.refusal(relay, other.stream().id(), null, Map.of("Authorization", "Bearer " + token)))
                .isEqualTo(403);
        given().auth().oauth2(token).get("/api/admin/users").then().statusCode(403);
    }

    @Test
    void badExpiredAndForeignTokensAreRefused() {
        given().auth().oauth2("picam_pat_made-up").get("/api/streams").then().statusCode(401);
        given().auth().oauth2("' OR 1=1 --").get("/api/streams").then().statusCode(401);
        given().header("Authorization", "Bearer " + "x".repeat(5000))
                .get("/api/streams")
                .then()
                .statusCode(401);
        assertThat(LiveViewer.refusal(relay, "anything", null, Map.of("Authorization", "Bearer picam_pat_nope")))
                .isEqualTo(401);

        String admin = Sessions.admin();
        ExtractableResponse<Response> created = newToken(admin, "{\"name\":\"short-lived\",\"expiresInDays\":1}");
        String token = created.path("token");
        long id = created.<Number>path("id").longValue();
        QuarkusTransaction.requiringNew()
                .run(() -> AccessToken.<AccessToken>findById(id).expiresAt =
                        Instant.now().minusSeconds(1));
        given().auth().oauth2(token).get("/api/streams").then().statusCode(401);

        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        Sessions.page(viewer).delete("/api/tokens/{id}", id).then().statusCode(404); // someone else's
    }

    @Test
    void badTokenRequestsAreClear400s() {
        String admin = Sessions.admin();
        assertThat(newToken(admin, "{\"expiresInDays\":30}").<String>path("violations[0].message"))
                .isEqualTo("name is required");
        assertThat(newToken(admin, "{\"name\":\"x\",\"expiresInDays\":0}").<String>path("violations[0].message"))
                .isEqualTo("expiresInDays is 1 to 365");
        assertThat(newToken(admin, "{\"name\":\"x\",\"expiresInDays\":9999}").statusCode())
                .isEqualTo(400);
        assertThat(newToken(admin, "nonsense").statusCode()).isEqualTo(400);
        given().post("/api/tokens").then().statusCode(401);
    }

    @Test
    void aTokenNeverCreatesOrListsTokensOrSessions() {
        String admin = Sessions.admin();
        String token = newToken(admin, "{\"name\":\"all of it\",\"scopes\":[\"admin\",\"camera\",\"view\"]}")
                .path("token");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"successor\",\"scopes\":[\"admin\"]}")
                .post("/api/tokens")
                .then()
                .statusCode(403);
        given().auth().oauth2(token).get("/api/tokens").then().statusCode(403);
        given().auth().oauth2(token).get("/api/sessions").then().statusCode(403);
        given().auth().oauth2(token).delete("/api/sessions").then().statusCode(403);
        given().auth().oauth2(token).get("/api/admin/users").then().statusCode(200); // what its admin scope is for
    }

    @Test
    void scopesBoundWhatATokenMayDo() {
        String admin = Sessions.admin();
        String view = newToken(admin, "{\"name\":\"wall display\"}").path("token");
        String camera =
                newToken(admin, "{\"name\":\"pi\",\"scopes\":[\"camera\"]}").path("token");
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);

        // view (the default): watch and list, nothing of the admin API or the metrics
        given().auth().oauth2(view).get("/api/streams").then().statusCode(200);
        try (LiveViewer viewer =
                LiveViewer.open(relay, stream.stream().id(), null, Map.of("Authorization", "Bearer " + view))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !viewer.texts().isEmpty());
        }
        given().auth().oauth2(view).get("/api/admin/users").then().statusCode(403);
        given().auth()
                .oauth2(view)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"no\",\"format\":\"fmp4\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(403);
        given().auth().oauth2(view).get("/q/metrics").then().statusCode(403);

        // camera: what picam setup needs (create a stream, read them), nothing else
        given().auth().oauth2(camera).get("/api/me").then().statusCode(200);
        given().auth()
                .oauth2(camera)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"Porch\",\"format\":\"fmp4\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(201);
        given().auth().oauth2(camera).get("/api/admin/streams").then().statusCode(200);
        given().auth().oauth2(camera).get("/api/admin/users").then().statusCode(403);
        given().auth()
                .oauth2(camera)
                .delete("/api/admin/streams/{id}", stream.stream().id())
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(camera)
                .post("/api/admin/streams/{id}/secret", stream.stream().id())
                .then()
                .statusCode(403);

        // a viewer cannot give a token more than their roles
        String viewerSession = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        assertThat(newToken(viewerSession, "{\"name\":\"x\",\"scopes\":[\"admin\"]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(newToken(viewerSession, "{\"name\":\"x\",\"scopes\":[\"root\"]}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void aTokenAndItsSocketsEndWithItsOwnersPasswordReset() {
        Watcher w = watcherWithToken("kiosk");
        try (LiveViewer viewer = watching(w)) {
            Sessions.page(Sessions.admin())
                    .contentType(ContentType.JSON)
                    .body("{\"password\":\"a-new-password-1\"}")
                    .patch("/api/admin/users/{u}", w.name())
                    .then()
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(5)).until(viewer::closed);
            assertThat(viewer.closeStatus()).isEqualTo((short) 1008);
        }
        given().auth().oauth2(w.token()).get("/api/streams").then().statusCode(401);
    }

    @Test
    void anAdminListsAndRevokesAnyUsersTokenAndItsSocketsClose() {
        Watcher w = watcherWithToken("kiosk");
        String admin = Sessions.admin();
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/admin/users/{u}/tokens", w.name())
                .then()
                .statusCode(200)
                .body("[0].id", equalTo((int) w.tokenId()))
                .body("[0].name", equalTo("kiosk"))
                .body("[0].scopes", hasItem("view"))
                .body(not(containsString(w.token())));
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/admin/users/{u}/tokens", "nobody-here")
                .then()
                .statusCode(404);
        try (LiveViewer viewer = watching(w)) {
            Sessions.page(admin)
                    .delete("/api/admin/tokens/{id}", w.tokenId())
                    .then()
                    .statusCode(204);
            await().atMost(Duration.ofSeconds(5)).until(viewer::closed);
        }
        given().auth().oauth2(w.token()).get("/api/streams").then().statusCode(401);
        Sessions.page(admin)
                .delete("/api/admin/tokens/{id}", w.tokenId())
                .then()
                .statusCode(404);
        // a viewer is no admin
        given().cookie(Sessions.COOKIE, Sessions.login(w.name(), TestAccounts.PASSWORD))
                .get("/api/admin/users/{u}/tokens", w.name())
                .then()
                .statusCode(403);
    }

    @Test
    void aSocketClosesWhenItsTokenExpires() {
        Watcher w = watcherWithToken("brief");
        QuarkusTransaction.requiringNew()
                .run(() -> AccessToken.<AccessToken>findById(w.tokenId()).expiresAt =
                        Instant.now().plusSeconds(2));
        try (LiveViewer viewer = watching(w)) {
            await().atMost(Duration.ofSeconds(6)).until(viewer::closed);
            assertThat(viewer.closeStatus()).isEqualTo((short) 1008);
        }
    }

    @Test
    void aBogusBearerHeaderBesideTheCookieDoesNotSkipCsrf() {
        String admin = Sessions.admin();
        long before = QuarkusTransaction.requiringNew().call(() -> CameraStream.count());
        int status = given().cookie(Sessions.COOKIE, admin)
                .header("Authorization", "Bearer whatever")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"csrf\",\"format\":\"mpegts\"}")
                .post("/api/admin/streams")
                .statusCode();
        assertThat(status).isIn(401, 403);
        assertThat(QuarkusTransaction.requiringNew().call(() -> CameraStream.count()))
                .isEqualTo(before);
    }
}
