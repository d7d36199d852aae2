package io.picam.relay.share;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.picam.relay.audit.AuditEntry;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Share links made by viewers: only with a grant and while an admin lets the stream's viewers share; each viewer sees
 * and revokes only their own; and their links end, sockets and all, when the setting goes off, the grant is
 * withdrawn or the viewer is deleted.
 */
@QuarkusTest
class ViewerLinksTest {

    private static final String LINK = "{\"label\":\"for my sister\",\"expiresInHours\":24}";

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    private StreamCatalog.Created stream;
    private String admin;
    private String viewerName;
    private String viewer;

    @BeforeEach
    void grantedViewerOfAStreamThatLetsViewersShare() {
        stream = accounts.newStream(StreamFormat.MPEGTS);
        admin = Sessions.admin();
        viewerName = accounts.newViewer();
        accounts.grant(id(), viewerName);
        viewer = Sessions.login(viewerName, TestAccounts.PASSWORD);
        letViewersShare(true);
    }

    private String id() {
        return stream.stream().id();
    }

    private void letViewersShare(boolean allowed) {
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"viewersMayShare\":" + allowed + "}")
                .patch("/api/admin/streams/" + id())
                .then()
                .statusCode(200)
                .body("viewersMayShare", equalTo(allowed));
    }

    private Response post(String session, String streamId) {
        return Sessions.page(session)
                .contentType(ContentType.JSON)
                .body(LINK)
                .post("/api/streams/" + streamId + "/links");
    }

    private ExtractableResponse<Response> share(String session) {
        return post(session, id()).then().statusCode(201).extract();
    }

    /** Opens the link as a browser without an account does: the share cookie it gets. */
    private static String open(String token) {
        return given().get("/s/" + token).then().statusCode(200).extract().cookie(ShareCookie.NAME);
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
    void aViewerWithAGrantMakesALinkThatPlaysWithoutAnAccount() {
        ExtractableResponse<Response> created = share(viewer);
        String token = created.path("token");
        long linkId = created.<Number>path("id").longValue();
        assertThat(token).startsWith(ShareLinks.PREFIX);
        assertThat(created.<String>path("url"))
                .isEqualTo(relay.resolve("/s/" + token).toString());

        String share = open(token);
        try (LiveViewer watcher = LiveViewer.open(relay, id(), null, withCookie(share))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.texts().isEmpty());
            assertThat(watcher.texts().get(0)).contains("\"type\":\"stream\"");
        }
        Sessions.page(viewer)
                .get("/api/streams/" + id() + "/links")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].id", equalTo((int) linkId))
                .body("[0].createdBy", equalTo(viewerName))
                .body("[0].active", equalTo(true))
                .body("[0].lastUsedAt", not(equalTo(null)));
        Sessions.page(admin)
                .get("/api/admin/streams")
                .then()
                .body("find { it.id == '" + id() + "' }.viewersMayShare", equalTo(true));
        assertThat(auditActions("share link " + linkId)).contains("share-link-created", "share-link-used");
        // the player offers it
        Sessions.page(viewer).get("/streams/" + id()).then().statusCode(200).body(containsString("id=\"share-open\""));
    }

    @Test
    void withoutTheSettingOrAGrantAViewerMakesNoLink() {
        letViewersShare(false);
        post(viewer, id()).then().statusCode(403).body("detail", containsString("not allowed the viewers"));
        Sessions.page(viewer)
                .get("/streams/" + id())
                .then()
                .statusCode(200)
                .body(not(containsString("id=\"share-open\"")));
        letViewersShare(true);

        String stranger = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        post(stranger, id()).then().statusCode(403).body("detail", containsString("may not watch"));
        Sessions.page(stranger).get("/api/streams/" + id() + "/links").then().statusCode(403);
        // an unknown stream: 403 for a viewer (no probing), 404 for an admin, as the other stream endpoints answer
        post(viewer, "no-such-stream").then().statusCode(403);
        post(admin, "no-such-stream").then().statusCode(404);
        // expiry and limits as for admins
        Sessions.page(viewer)
                .contentType(ContentType.JSON)
                .body("{\"label\":\"x\",\"expiresInHours\":721}")
                .post("/api/streams/" + id() + "/links")
                .then()
                .statusCode(400)
                .body(containsString("expiresInHours is 1 to 720"));
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .patch("/api/admin/streams/" + id())
                .then()
                .statusCode(400)
                .body("detail", containsString("viewersMayShare"));
        Sessions.page(viewer)
                .contentType(ContentType.JSON)
                .body("{\"viewersMayShare\":true}")
                .patch("/api/admin/streams/" + id())
                .then()
                .statusCode(403);
    }

    @Test
    void aViewerListsAndRevokesOnlyTheirOwnLinks() {
        String otherName = accounts.newViewer();
        accounts.grant(id(), otherName);
        String other = Sessions.login(otherName, TestAccounts.PASSWORD);
        long mine = share(viewer).<Number>path("id").longValue();
        long theirs = share(other).<Number>path("id").longValue();
        long admins = share(admin).<Number>path("id").longValue();

        Sessions.page(viewer).get("/api/streams/" + id() + "/links").then().body("id", equalTo(List.of((int) mine)));
        Sessions.page(admin)
                .get("/api/streams/" + id() + "/links")
                .then()
                .body("id", equalTo(List.of((int) admins, (int) theirs, (int) mine)));

        Sessions.page(viewer).delete("/api/links/" + theirs).then().statusCode(404);
        Sessions.page(viewer).delete("/api/links/" + admins).then().statusCode(404);
        Sessions.page(viewer).delete("/api/links/999999999").then().statusCode(404);
        Sessions.page(viewer).delete("/api/links/" + mine).then().statusCode(204);
        Sessions.page(viewer).get("/api/streams/" + id() + "/links").then().body("[0].active", equalTo(false));
        Sessions.page(other).get("/api/streams/" + id() + "/links").then().body("[0].active", equalTo(true));
        Sessions.page(admin).delete("/api/links/" + theirs).then().statusCode(204);
        assertThat(auditActions("share link " + mine)).contains("share-link-revoked");
    }

    @Test
    void aViewTokenSharesAsItsOwnerWouldAndNeedsNoCsrfHeader() {
        String token = Sessions.page(viewer)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"phone\"}") // the default scope: view
                .post("/api/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        long linkId = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(LINK)
                .post("/api/streams/" + id() + "/links")
                .then()
                .statusCode(201)
                .extract()
                .<Number>path("id")
                .longValue();
        given().auth().oauth2(token).delete("/api/links/" + linkId).then().statusCode(204);
        // without the page's CSRF header the login cookie makes no link
        given().cookie(Sessions.COOKIE, viewer)
                .contentType(ContentType.JSON)
                .body(LINK)
                .post("/api/streams/" + id() + "/links")
                .then()
                .statusCode(403);
    }

    @Test
    void turningTheSettingOffEndsTheViewersLinksAndClosesTheirSockets() {
        String token = share(viewer).path("token");
        String adminsToken = share(admin).path("token");
        String share = open(token);
        String adminsShare = open(adminsToken);
        try (LiveViewer watcher = LiveViewer.open(relay, id(), null, withCookie(share));
                LiveViewer adminsWatcher = LiveViewer.open(relay, id(), null, withCookie(adminsShare))) {
            await().until(() ->
                    !watcher.texts().isEmpty() && !adminsWatcher.texts().isEmpty());
            letViewersShare(false);
            await().atMost(Duration.ofSeconds(10)).until(watcher::closed);
            assertThat(watcher.closeStatus()).isEqualTo((short) 1008);
            assertThat(adminsWatcher.closed()).as("an admin's link stays").isFalse();
        }
        given().get("/s/" + token).then().statusCode(410);
        given().get("/s/" + adminsToken).then().statusCode(200);
        assertThat(LiveViewer.refusal(relay, id(), null, withCookie(share))).isEqualTo(401);
        Sessions.page(viewer)
                .get("/api/streams/" + id() + "/links")
                .then()
                .body("[0].active", equalTo(false))
                .body("[0].revokedAt", not(equalTo(null)));
        // on again, the old link stays ended
        letViewersShare(true);
        given().get("/s/" + token).then().statusCode(410);
    }

    @Test
    void withdrawingTheGrantOrDeletingTheViewerEndsTheirLinks() {
        String token = share(viewer).path("token");
        String share = open(token);
        try (LiveViewer watcher = LiveViewer.open(relay, id(), null, withCookie(share))) {
            await().until(() -> !watcher.texts().isEmpty());
            Sessions.page(admin)
                    .delete("/api/admin/streams/" + id() + "/viewers/" + viewerName)
                    .then()
                    .statusCode(204);
            await().atMost(Duration.ofSeconds(10)).until(watcher::closed);
            assertThat(watcher.closeStatus()).isEqualTo((short) 1008);
        }
        given().get("/s/" + token).then().statusCode(410);

        String otherName = accounts.newViewer();
        accounts.grant(id(), otherName);
        String otherToken =
                share(Sessions.login(otherName, TestAccounts.PASSWORD)).path("token");
        open(otherToken);
        Sessions.page(admin).delete("/api/admin/users/" + otherName).then().statusCode(204);
        given().get("/s/" + otherToken).then().statusCode(410);
    }
}
