package io.picam.relay.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestMedia;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The relay as Heroku runs it: packaged, started by the Procfile's web line with {@code PORT} and a Heroku-style
 * {@code DATABASE_URL} to a PostgreSQL server of its own. One relay and one database through a day in production:
 * login, a live ffmpeg stream and a viewer, the database going away and coming back under the live stream, and
 * the daily restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductionParityIT {

    private static final String ADMIN_PASSWORD = "parity-admin-password";

    private static PostgresServer postgres;
    private static ProcfileRelay relay;
    private static Path data;
    private static String streamId;
    private static String secret;
    private static Process ffmpeg;
    private static LiveViewer viewer;

    @BeforeAll
    static void startDatabaseAndRelay() throws Exception {
        postgres = new PostgresServer();
        postgres.start();
        data = Files.createTempDirectory("picam-it-data");
        relay = new ProcfileRelay(Map.of(
                "DATABASE_URL",
                postgres.databaseUrl(),
                "PICAM_ADMIN_PASSWORD",
                ADMIN_PASSWORD,
                "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY",
                "parity-session-key-0123456789abcdef",
                "PICAM_DATA_DIR",
                data.toString()));
        relay.start();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = relay.port();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (viewer != null) {
            viewer.close();
        }
        if (ffmpeg != null) {
            ffmpeg.destroyForcibly();
        }
        if (relay != null) {
            relay.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        RestAssured.reset();
    }

    @Test
    @Order(1)
    void theProcfileRelayUsesTheConfiguredDatabaseAndServesALiveStream() throws Exception {
        assertThat(relay.webLine())
                .contains("$JAVA_OPTS")
                .contains("-jar relay-app/target/quarkus-app/quarkus-run.jar");
        assertThat(data.resolve("postgres"))
                .as("no embedded database when DATABASE_URL is set")
                .doesNotExist();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        String admin = Sessions.admin(ADMIN_PASSWORD);
        Response created = Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"Parity camera\",\"format\":\"mpegts\"}")
                .post("/api/admin/streams");
        created.then().statusCode(201);
        streamId = created.path("id");
        secret = created.path("secret");

        viewer = LiveViewer.open(relay.url("/"), streamId, admin);
        ffmpeg = TestMedia.publishWithFfmpeg(
                relay.port(), streamId, secret, 600, Files.createTempFile("parity-ffmpeg", ".log"));
        await().atMost(Duration.ofSeconds(30)).until(() -> viewer.byteCount() > 100_000);
        assertThat(viewer.texts()).anyMatch(t -> t.contains("\"live\":true"));
        // behind Heroku's router: the forwarded scheme makes cookies Secure and turns on HSTS
        given().header("X-Forwarded-Proto", "https")
                .get("/login")
                .then()
                .statusCode(200)
                .header("Strict-Transport-Security", notNullValue());
    }

    @Test
    @Order(2)
    void whileTheDatabaseIsAwayTheStreamFlowsReadinessIsDownAndLoginFailsCleanly() throws Exception {
        postgres.stop();
        int before = viewer.byteCount();
        await().atMost(Duration.ofSeconds(20)).until(() -> viewer.byteCount() > before + 100_000);
        assertThat(viewer.closed()).isFalse();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN")));
        given().get("/q/health/live").then().statusCode(200);
        Response login = given().redirects()
                .follow(false)
                .formParam("j_username", "admin")
                .formParam("j_password", ADMIN_PASSWORD)
                .post("/j_security_check");
        System.out.printf("login without a database: %d %s%n", login.statusCode(), login.getHeader("Location"));
        assertThat(login.statusCode()).as("no session without the database").isEqualTo(503);
        assertThat(login.getCookie(Sessions.COOKIE)).isNull();
        // a camera connecting now cannot have its secret checked: 503, which its client retries; the live one goes on
        given().header("Authorization", "Bearer " + secret)
                .contentType("video/mp2t")
                .body(new byte[188 * 10])
                .post("/ingest/{id}", streamId)
                .then()
                .statusCode(503);
        assertThat(ffmpeg.isAlive()).as("the camera already streaming").isTrue();

        postgres.start();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        Sessions.admin(ADMIN_PASSWORD); // logins work again
        int after = viewer.byteCount();
        await().atMost(Duration.ofSeconds(20)).until(() -> viewer.byteCount() > after + 50_000);
    }

    @Test
    @Order(3)
    void theDailyRestartEndsConnectionsAtOnceAndKeepsEveryUserAndStream() throws Exception {
        long exitMillis = relay.terminate();
        System.out.printf("relay gone %d ms after SIGTERM%n", exitMillis);
        assertThat(exitMillis).as("well within Heroku's 30 s").isLessThan(10_000);
        await().atMost(Duration.ofSeconds(5)).until(viewer::closed);
        assertThat(viewer.closeStatus())
                .as("1001 going away: players reconnect at once")
                .isEqualTo((short) 1001);
        assertThat(ffmpeg.waitFor(10, TimeUnit.SECONDS))
                .as("the publisher's upload was ended")
                .isTrue();
        viewer.close();

        relay.start();
        String admin = Sessions.admin(ADMIN_PASSWORD);
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/admin/streams")
                .then()
                .statusCode(200)
                .body("id", hasItem(streamId));
        URI base = relay.url("/");
        viewer = LiveViewer.open(base, streamId, admin);
        ffmpeg = TestMedia.publishWithFfmpeg(
                relay.port(), streamId, secret, 600, Files.createTempFile("parity-ffmpeg", ".log"));
        await().atMost(Duration.ofSeconds(30)).until(() -> viewer.byteCount() > 100_000);
    }
}
