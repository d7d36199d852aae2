package io.picam.relay.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.picam.relay.stream.CameraStream;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** CSRF, cross-site WebSockets and security headers (login limits: {@link LoginGuardTest}). */
@QuarkusTest
class SecurityTest {

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI relay;

    @Test
    void cookieAuthenticatedChangesWithoutTheCsrfTokenAreRefusedAndStoreNothing() {
        String admin = Sessions.admin();
        long before = QuarkusTransaction.requiringNew().call(() -> CameraStream.count());
        given().cookie(Sessions.COOKIE, admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"csrf\",\"format\":\"mpegts\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(403)
                .body("detail", containsString("X-CSRF-Token"));
        given().cookie(Sessions.COOKIE, admin)
                .header("X-CSRF-Token", "forged")
                .contentType(ContentType.JSON)
                .body("{\"name\":\"csrf\",\"format\":\"mpegts\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(403);
        // another user's token does not fit this session
        String otherToken = given().cookie(Sessions.COOKIE, Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD))
                .get("/api/me")
                .then()
                .extract()
                .path("csrfToken");
        given().cookie(Sessions.COOKIE, admin)
                .header("X-CSRF-Token", otherToken)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"csrf\",\"format\":\"mpegts\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(403);
        assertThat(QuarkusTransaction.requiringNew().call(() -> CameraStream.count()))
                .isEqualTo(before);
    }

    @Test
    void pagesCarryTheCsrfTokenOfTheirUser() {
        String admin = Sessions.admin();
        String token = given().cookie(Sessions.COOKIE, admin)
                .get("/api/me")
                .then()
                .extract()
                .path("csrfToken");
        given().cookie(Sessions.COOKIE, admin)
                .get("/")
                .then()
                .statusCode(200)
                .body(containsString("<meta name=\"csrf-token\" content=\"" + token + "\">"));
    }

    @Test
    void webSocketsFromAForeignOriginAreRefused() {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        String admin = Sessions.admin();
        String id = stream.stream().id();
        assertThat(LiveViewer.refusal(relay, id, admin, Map.of("Origin", "https://evil.example")))
                .isEqualTo(403);
        assertThat(LiveViewer.refusal(relay, id, admin, Map.of("Origin", "null")))
                .isEqualTo(403);
        String own = "http://" + relay.getHost() + ":" + relay.getPort();
        try (LiveViewer viewer = LiveViewer.open(relay, id, admin, Map.of("Origin", own))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> !viewer.texts().isEmpty());
        }
    }

    @Test
    void everyAnswerCarriesSecurityHeaders() {
        for (String path : new String[] {"/login", "/api/streams", "/static/picam.css"}) {
            Response r = given().redirects().follow(false).get(path);
            String csp = r.header("Content-Security-Policy");
            assertThat(csp)
                    .as(path)
                    .contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
                    .doesNotContain("unsafe-inline", "'unsafe-eval'");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).isEqualTo("same-origin");
            assertThat(r.header("Strict-Transport-Security"))
                    .as("plain HTTP: no HSTS")
                    .isNull();
        }
    }

    @Test
    void overTlsThroughAProxyCookiesAreSecureAndHstsIsOn() {
        Response login = given().redirects()
                .follow(false)
                .header("X-Forwarded-Proto", "https")
                .formParam("j_username", TestAccounts.ADMIN)
                .formParam("j_password", TestAccounts.ADMIN_PASSWORD)
                .post("/j_security_check");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.header("Strict-Transport-Security")).startsWith("max-age=");
        assertThat(login.headers().getValues("Set-Cookie"))
                .filteredOn(c -> c.startsWith(Sessions.COOKIE + "="))
                .singleElement()
                .asString()
                .contains("; Secure");
    }
}
