package io.picam.relay.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Server-side sessions: a logout ends one for real, a user sees and ends their others, ids are new at each login. */
@QuarkusTest
class SessionsResourceTest {

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI relay;

    @Test
    void logoutEndsTheSessionOnTheServer() {
        String viewer = accounts.newViewer();
        String session = Sessions.login(viewer, TestAccounts.PASSWORD);
        given().cookie(Sessions.COOKIE, session).get("/api/me").then().statusCode(200);
        Sessions.logout(session);
        // a copy of the cookie kept by an attacker (or a browser that ignored the expiry) is worth nothing now
        given().cookie(Sessions.COOKIE, session).get("/api/me").then().statusCode(401);
        given().redirects()
                .follow(false)
                .cookie(Sessions.COOKIE, session)
                .get("/")
                .then()
                .statusCode(303)
                .header("Location", Matchers.endsWith("/login?expired=1"));
    }

    @Test
    void theSessionIdIsNewAtEveryLoginAndNothingButRandom() {
        String viewer = accounts.newViewer();
        String first = Sessions.login(viewer, TestAccounts.PASSWORD);
        String second = Sessions.login(viewer, TestAccounts.PASSWORD);
        assertThat(first)
                .isNotEqualTo(second)
                .hasSize(43)
                .matches("[A-Za-z0-9_-]+")
                .doesNotContain(viewer);
        Response login = Sessions.attempt(viewer, TestAccounts.PASSWORD, "192.0.2.10");
        assertThat(login.headers().getValues("Set-Cookie"))
                .filteredOn(c -> c.startsWith(Sessions.COOKIE + "="))
                .singleElement()
                .asString()
                .containsIgnoringCase("HttpOnly")
                .contains("SameSite=Lax", "Path=/", "Max-Age=");
        assertThat(login.body().asString()).isEqualTo("logged in as " + viewer + "\n");
    }

    @Test
    void aUserSeesTheirSessionsAndEndsAllTheOthersWhoseSocketsClose() {
        String viewer = accounts.newViewer();
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        accounts.grant(stream.stream().id(), viewer);
        String laptop =
                Sessions.attempt(viewer, TestAccounts.PASSWORD, "192.0.2.1").cookie(Sessions.COOKIE);
        String phone =
                Sessions.attempt(viewer, TestAccounts.PASSWORD, "192.0.2.2").cookie(Sessions.COOKIE);
        String tablet =
                Sessions.attempt(viewer, TestAccounts.PASSWORD, "192.0.2.3").cookie(Sessions.COOKIE);

        List<Map<String, Object>> listed = given().cookie(Sessions.COOKIE, laptop)
                .get("/api/sessions")
                .then()
                .statusCode(200)
                .extract()
                .path("");
        assertThat(listed)
                .hasSize(3)
                .extracting(m -> m.get("address"))
                .containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2", "192.0.2.3");
        assertThat(listed)
                .filteredOn(m -> Boolean.TRUE.equals(m.get("current")))
                .singleElement()
                .satisfies(m -> assertThat(m.get("address")).isEqualTo("192.0.2.1"))
                .satisfies(m -> assertThat(m).containsKeys("id", "createdAt", "lastSeenAt", "userAgent"));

        try (LiveViewer onPhone = LiveViewer.open(relay, stream.stream().id(), phone)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !onPhone.texts().isEmpty());
            Sessions.page(laptop).delete("/api/sessions").then().statusCode(204);
            await().atMost(Duration.ofSeconds(5)).until(onPhone::closed);
            assertThat(onPhone.closeStatus()).isEqualTo((short) 1008);
        }
        given().cookie(Sessions.COOKIE, phone).get("/api/me").then().statusCode(401);
        given().cookie(Sessions.COOKIE, tablet).get("/api/me").then().statusCode(401);
        given().cookie(Sessions.COOKIE, laptop)
                .get("/api/sessions")
                .then()
                .statusCode(200)
                .body("size()", Matchers.is(1));
    }

    @Test
    void oneSessionIsEndedByIdAndNobodyEndsAnothersSession() {
        String viewer = accounts.newViewer();
        String other = accounts.newViewer();
        String mine = Sessions.login(viewer, TestAccounts.PASSWORD);
        String spare = Sessions.login(viewer, TestAccounts.PASSWORD);
        String theirs = Sessions.login(other, TestAccounts.PASSWORD);
        long theirId = given().cookie(Sessions.COOKIE, theirs)
                .get("/api/sessions")
                .then()
                .extract()
                .<Number>path("[0].id")
                .longValue();
        Sessions.page(mine).delete("/api/sessions/" + theirId).then().statusCode(404);
        given().cookie(Sessions.COOKIE, theirs).get("/api/me").then().statusCode(200);

        long spareId = given().cookie(Sessions.COOKIE, spare)
                .get("/api/sessions")
                .then()
                .extract()
                .<Number>path("find { it.current }.id")
                .longValue();
        Sessions.page(mine).delete("/api/sessions/" + spareId).then().statusCode(204);
        given().cookie(Sessions.COOKIE, spare).get("/api/me").then().statusCode(401);
        given().cookie(Sessions.COOKIE, mine).get("/api/me").then().statusCode(200);
    }

    @Test
    void garbageCookiesAreNoSession() {
        for (String garbage : new String[] {"x", "' or 1=1 --", "A".repeat(43), "%00%0d%0a", "é".repeat(43)}) {
            given().cookie(Sessions.COOKIE, garbage).get("/api/me").then().statusCode(401);
        }
        given().redirects()
                .follow(false)
                .cookie(Sessions.COOKIE, "A".repeat(43))
                .get("/login")
                .then()
                .statusCode(200);
    }
}
