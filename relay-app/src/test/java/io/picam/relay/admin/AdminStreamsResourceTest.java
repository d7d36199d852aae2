package io.picam.relay.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.picam.relay.stream.CameraStream;
import io.picam.relay.stream.StreamSecrets;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminStreamsResourceTest {

    @Inject
    TestAccounts accounts;

    private ExtractableResponse<Response> create(String session, String json) {
        return Sessions.page(session)
                .contentType(ContentType.JSON)
                .body(json)
                .post("/api/admin/streams")
                .then()
                .extract();
    }

    @Test
    void anAdminCreatesAStreamAndSeesItsSecretOnce() {
        ExtractableResponse<Response> created =
                create(Sessions.admin(), "{\"name\":\"Front door\",\"format\":\"mpegts\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.path("id");
        String secret = created.path("secret");
        assertThat(id).matches("[A-Za-z0-9_-]{8,32}");
        assertThat(created.<String>path("name")).isEqualTo("Front door");
        assertThat(created.<String>path("format")).isEqualTo("mpegts");
        assertThat(secret).as("at least 128 random bits, URL-safe").matches("[A-Za-z0-9_-]{22,}");

        CameraStream stored = QuarkusTransaction.requiringNew().call(() -> CameraStream.findById(id));
        assertThat(stored.secretHash).isEqualTo(StreamSecrets.hash(secret)).doesNotContain(secret);
        assertThat(stored.createdAt).isNotNull();

        given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/api/streams")
                .then()
                .statusCode(200)
                .body("id", hasItem(id))
                .body(Matchers.not(containsString(secret)));
    }

    @Test
    void onlyAdminsCreateStreams() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"format\":\"mpegts\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(401);
        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        assertThat(create(viewer, "{\"name\":\"x\",\"format\":\"mpegts\"}").statusCode())
                .isEqualTo(403);
    }

    @Test
    void badBodiesAreClear400sAndStoreNothing() {
        String admin = Sessions.admin();
        long before = QuarkusTransaction.requiringNew().call(() -> CameraStream.count());

        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":")
                .post("/api/admin/streams")
                .then()
                .statusCode(400)
                .body("title", equalTo("Malformed JSON"));
        // a wrong value names its field (as in the JSON), and says what would be right
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"format\":\"h264\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(400)
                .body("title", equalTo("Invalid field"))
                .body("violations[0].field", equalTo("format"))
                .body("violations[0].message", containsString("mpegts, fmp4"))
                .body("detail", equalTo("format: format must be one of: mpegts, fmp4"));
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"format\":\"mpegts\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("name"))
                .body("violations[0].message", equalTo("name is required"));
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + "x".repeat(101) + "\",\"format\":\"mpegts\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(400)
                .body("violations[0].message", containsString("at most 100"));
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"x\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(400)
                .body("violations[0].message", containsString("format"));

        long after = QuarkusTransaction.requiringNew().call(() -> CameraStream.count());
        assertThat(after).isEqualTo(before);
    }

    @Test
    void sqlLookingNamesAreJustNames() {
        String name = "x'); DROP TABLE streams; --";
        ExtractableResponse<Response> created =
                create(Sessions.admin(), "{\"name\":\"" + name + "\",\"format\":\"fmp4\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.<String>path("name")).isEqualTo(name);
        given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/api/streams")
                .then()
                .statusCode(200)
                .body("name", hasItem(name));
    }
}
