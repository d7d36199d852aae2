package io.picam.relay.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.picam.relay.support.TestPublisher;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What an operator watches: health for the platform, metrics for Prometheus, the client address behind a proxy. */
@QuarkusTest
class OperationsTest {

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI relay;

    @Test
    void healthSaysLiveAndReadyWithTheDatabase() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
    }

    @Test
    void metricsAreForAdminsAndCountWhatFlows() {
        given().get("/q/metrics").then().statusCode(401);
        String viewer = accounts.newViewer();
        given().cookie(Sessions.COOKIE, Sessions.login(viewer, TestAccounts.PASSWORD))
                .get("/q/metrics")
                .then()
                .statusCode(403);
        String admin = Sessions.admin();
        String token = Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"prometheus\",\"scopes\":[\"admin\"]}")
                .post("/api/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");

        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        String id = stream.stream().id();
        byte[] clip = TestMedia.tsClip();
        try (LiveViewer live = LiveViewer.open(relay, id, admin);
                TestPublisher publisher = TestPublisher.open(relay, id, stream.secret())) {
            publisher.write(clip, 16 * 1024);
            await().atMost(Duration.ofSeconds(10)).until(() -> live.byteCount() >= clip.length / 2);
            String tag = "{stream=\"" + id + "\"}";
            System.gc(); // gauges hold their objects weakly: what they read must survive a collection
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = scrape(token);
                assertThat(value(metrics, "picam_stream_live" + tag)).isEqualTo(1);
                assertThat(value(metrics, "picam_viewers" + tag)).isEqualTo(1);
                assertThat(value(metrics, "picam_ingest_bytes_total" + tag)).isGreaterThanOrEqualTo(clip.length / 2);
                assertThat(value(metrics, "picam_delivered_bytes_total" + tag)).isGreaterThanOrEqualTo(clip.length / 2);
                assertThat(value(metrics, "picam_publisher_connects_total" + tag))
                        .isEqualTo(1);
                assertThat(value(metrics, "picam_publishers")).isGreaterThanOrEqualTo(1);
            });
        }

        double refusedBefore = value(scrape(token), "picam_ingest_refused_total{reason=\"unauthorized\"}");
        double failedBefore = value(scrape(token), "picam_logins_failed_total");
        try (TestPublisher wrong = TestPublisher.open(relay, id, "not-the-secret")) {
            wrong.write(clip, 4096);
            await().atMost(Duration.ofSeconds(10)).until(wrong::answered);
        }
        given().redirects()
                .follow(false)
                .formParam("j_username", viewer)
                .formParam("j_password", "wrong-password-1")
                .post("/j_security_check")
                .then()
                .statusCode(302);
        String after = scrape(token);
        assertThat(value(after, "picam_ingest_refused_total{reason=\"unauthorized\"}"))
                .isEqualTo(refusedBefore + 1);
        assertThat(value(after, "picam_logins_failed_total")).isEqualTo(failedBefore + 1);
        assertThat(after).doesNotContain(stream.secret()).doesNotContain("not-the-secret");
    }

    @Test
    void behindOneProxyTheAuditTakesTheAddressTheProxyAddedNotTheOneTheClientForged() {
        String viewer = accounts.newViewer();
        given().redirects()
                .follow(false)
                .header("X-Forwarded-For", "203.0.113.66, 198.51.100.7")
                .formParam("j_username", viewer)
                .formParam("j_password", "wrong-password-2")
                .post("/j_security_check")
                .then()
                .statusCode(302);
        given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/api/admin/audit?limit=20")
                .then()
                .statusCode(200)
                .body("find { it.actor == '" + viewer + "' }.address", equalTo("198.51.100.7"));
    }

    private static String scrape(String token) {
        return given().auth()
                .oauth2(token)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** The value of one series in Prometheus' text format, 0 when it is absent. */
    private static double value(String metrics, String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
