package io.picam.relay.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.picam.relay.account.User;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminUsersResourceTest {

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI relay;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse post(String session, String json) {
        return Sessions.page(session)
                .contentType(ContentType.JSON)
                .body(json)
                .post("/api/admin/users")
                .then();
    }

    @Test
    void anAdminCreatesAUserWhoCanThenLogIn() {
        String admin = Sessions.admin();
        String name = unique("Carol");
        post(admin, "{\"username\":\"" + name + "\",\"password\":\"carols-password\",\"roles\":[\"viewer\"]}")
                .statusCode(201)
                .body("username", equalTo(name))
                .body("roles", equalTo(List.of("viewer")))
                .body(not(containsString("password")));
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/admin/users")
                .then()
                .statusCode(200)
                .body("username", hasItem(name))
                .body(not(containsString("$2a$")))
                .body(not(containsString("carols-password")));
        assertThat(Sessions.login(name, "carols-password")).isNotBlank();

        post(
                        admin,
                        "{\"username\":\"" + name.toUpperCase()
                                + "\",\"password\":\"another-password\",\"roles\":[\"viewer\"]}")
                .statusCode(409)
                .body("detail", containsString("already exists"));
    }

    @Test
    void badUsersAreClear400sAndStoreNothing() {
        String admin = Sessions.admin();
        long before = QuarkusTransaction.requiringNew().call(() -> User.count());
        post(admin, "{\"username\":\"x'; drop table users; --\",\"password\":\"long-enough-1\",\"roles\":[\"viewer\"]}")
                .statusCode(400)
                .body("violations[0].field", containsString("username"))
                .body("violations[0].message", containsString("letters, digits"));
        post(admin, "{\"username\":\"" + "a".repeat(65) + "\",\"password\":\"long-enough-1\",\"roles\":[\"viewer\"]}")
                .statusCode(400)
                .body("violations[0].field", containsString("username"));
        post(admin, "{\"username\":\"dave\",\"password\":\"short\",\"roles\":[\"viewer\"]}")
                .statusCode(400)
                .body("violations[0].message", equalTo("password is 10 to 72 characters"))
                .body("violations[0].field", equalTo("password")); // the JSON's name, not Java's create.body.password
        post(admin, "{\"username\":\"dave\",\"password\":\"long-enough-1\",\"roles\":[\"root\"]}")
                .statusCode(400)
                .body("detail", containsString("admin or viewer"))
                .body("violations[0].field", equalTo("roles[0]"));
        post(admin, "{\"username\":\"dave\",\"password\":\"long-enough-1\",\"roles\":[]}")
                .statusCode(400)
                .body("violations[0].field", containsString("roles"));
        post(admin, "{\"username\":\"dave\"").statusCode(400).body("title", equalTo("Malformed JSON"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> User.count())).isEqualTo(before);
    }

    @Test
    void onlyAdminsManageUsers() {
        given().get("/api/admin/users").then().statusCode(401);
        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        given().cookie(Sessions.COOKIE, viewer).get("/api/admin/users").then().statusCode(403);
        post(viewer, "{\"username\":\"eve\",\"password\":\"long-enough-1\",\"roles\":[\"admin\"]}")
                .statusCode(403);
    }

    @Test
    void aPasswordResetTakesEffectAndRolesChange() {
        String admin = Sessions.admin();
        String name = accounts.newViewer();
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"password\":\"a-new-password\",\"roles\":[\"admin\",\"viewer\"]}")
                .patch("/api/admin/users/{u}", name)
                .then()
                .statusCode(200)
                .body("roles", equalTo(List.of("admin", "viewer")));
        given().redirects()
                .follow(false)
                .formParam("j_username", name)
                .formParam("j_password", TestAccounts.PASSWORD)
                .post("/j_security_check")
                .then()
                .statusCode(302)
                .header("Location", containsString("error"));
        String session = Sessions.login(name, "a-new-password");
        given().cookie(Sessions.COOKIE, session).get("/api/admin/users").then().statusCode(200);

        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"roles\":[]}")
                .patch("/api/admin/users/{u}", name)
                .then()
                .statusCode(400);
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"password\":\"x\"}")
                .patch("/api/admin/users/{u}", "nobody-" + UUID.randomUUID())
                .then()
                .statusCode(400);
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"password\":\"long-enough-1\"}")
                .patch("/api/admin/users/{u}", "nobody-" + UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    @Test
    void anAdminCannotLockThemselvesOut() {
        String admin = Sessions.admin();
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"roles\":[\"viewer\"]}")
                .patch("/api/admin/users/{u}", TestAccounts.ADMIN)
                .then()
                .statusCode(409);
        Sessions.page(admin)
                .delete("/api/admin/users/{u}", TestAccounts.ADMIN)
                .then()
                .statusCode(409);
        Sessions.admin(); // still an admin who can log in
    }

    @Test
    void deletingAUserClosesTheirViewersAndLogsIt() {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        String name = accounts.newViewer();
        accounts.grant(stream.stream().id(), name);
        String admin = Sessions.admin();
        try (LiveViewer viewer =
                LiveViewer.open(relay, stream.stream().id(), Sessions.login(name, TestAccounts.PASSWORD))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !viewer.texts().isEmpty());
            Sessions.page(admin).delete("/api/admin/users/{u}", name).then().statusCode(204);
            await().atMost(Duration.ofSeconds(10)).until(viewer::closed);
            assertThat(viewer.closeStatus()).isEqualTo((short) 1008);
        }
        Sessions.page(admin).delete("/api/admin/users/{u}", name).then().statusCode(404);
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/admin/audit")
                .then()
                .statusCode(200)
                .body(
                        "find { it.action == 'user-deleted' && it.target == '" + name + "' }.actor",
                        equalTo(TestAccounts.ADMIN));
    }
}
