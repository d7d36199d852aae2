package io.picam.relay.alerts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.picam.relay.support.TestPublisher;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Webhooks against a real HTTP receiver on loopback (the test profile allows private targets; grace 3 s). */
@QuarkusTest
class WebhooksResourceTest {

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI relay;

    @Test
    void aCameraThatGoesAwayIsReportedOfflineOnceAfterTheGraceAndOnlineWhenItReturns() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String admin = Sessions.admin();
            JsonPath hook = create(admin, receiver.url("/hook"), List.of("camera.offline", "camera.online"), null);
            String secret = hook.getString("secret");
            assertThat(secret).hasSizeGreaterThan(30);
            StreamCatalog.Created camera = accounts.newStream(StreamFormat.MPEGTS);
            String id = camera.stream().id();

            try (TestPublisher publisher = TestPublisher.open(relay, id, camera.secret())) {
                publisher.write(TestMedia.tsClip(), 16 * 1024);
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> receiver.about("/hook", id).size() == 1);
            }
            WebhookReceiver.Received online = receiver.about("/hook", id).get(0);
            assertThat(online.event()).isEqualTo("camera.online");

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.about("/hook", id).size() == 2);
            WebhookReceiver.Received offline = receiver.about("/hook", id).get(1);
            assertThat(offline.event()).isEqualTo("camera.offline");
            assertThat(Duration.between(online.at(), offline.at()))
                    .as("not before the grace")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            JsonPath body = new JsonPath(offline.body());
            assertThat(body.getString("event")).isEqualTo("camera.offline");
            assertThat(body.getString("stream.id")).isEqualTo(id);
            assertThat(body.getString("stream.name")).isEqualTo(camera.stream().name());
            assertThat(body.getString("at")).isNotBlank();
            assertThat(offline.contentType()).startsWith("application/json");
            verifySignature(secret, offline);
            verifySignature(secret, online);

            // another grace period later: still one offline event
            await().pollDelay(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> true);
            assertThat(receiver.about("/hook", id)).hasSize(2);

            try (TestPublisher publisher = TestPublisher.open(relay, id, camera.secret())) {
                publisher.write(TestMedia.tsClip(), 16 * 1024);
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> receiver.about("/hook", id).size() == 3);
            }
            assertThat(receiver.about("/hook", id).get(2).event()).isEqualTo("camera.online");
            verifySignature(secret, receiver.about("/hook", id).get(2));

            List<Map<String, Object>> log = Sessions.page(admin)
                    .get("/api/admin/webhooks/{id}/deliveries", hook.getLong("id"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            assertThat(log).anySatisfy(d -> {
                assertThat(d.get("event")).isEqualTo("camera.offline");
                assertThat(d.get("status")).isEqualTo("delivered");
                assertThat(d.get("lastStatus")).isEqualTo(204);
            });
            delete(admin, hook.getLong("id"));
        }
    }

    @Test
    void aReceiverThatAnswers500GetsRetriesWithGrowingGapsAndTheLogSaysSo() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(500);
            String admin = Sessions.admin();
            JsonPath hook = create(admin, receiver.url("/failing"), List.of("camera.secret_rotated"), "discord");
            StreamCatalog.Created camera = accounts.newStream(StreamFormat.FMP4);
            String id = camera.stream().id();
            Sessions.page(admin)
                    .post("/api/admin/streams/{id}/secret", id)
                    .then()
                    .statusCode(200);

            // the wait the relay plans after each failed attempt (from its delivery log), and when the tries came
            Map<Integer, Duration> planned = new TreeMap<>();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        JsonPath log = Sessions.page(admin)
                                .get("/api/admin/webhooks/{id}/deliveries", hook.getLong("id"))
                                .jsonPath();
                        Integer attempts = log.get("[0].attempts");
                        String last = log.getString("[0].lastAttemptAt");
                        String next = log.getString("[0].nextAttemptAt");
                        if (attempts != null && attempts > 0 && last != null && next != null) {
                            planned.putIfAbsent(attempts, Duration.between(Instant.parse(last), Instant.parse(next)));
                        }
                        return planned.keySet().containsAll(List.of(1, 2, 3))
                                && receiver.about("/failing", camera.stream().name())
                                                .size()
                                        >= 4;
                    });
            assertThat(planned.get(2)).as("gaps grow").isGreaterThan(planned.get(1));
            assertThat(planned.get(3)).as("gaps grow").isGreaterThan(planned.get(2));
            assertThat(planned.get(1))
                    .as("the first retry, 1 s in the test profile, with jitter")
                    .isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
            List<WebhookReceiver.Received> tries =
                    receiver.about("/failing", camera.stream().name());
            for (int i = 1; i < 4; i++) {
                assertThat(Duration.between(tries.get(i - 1).at(), tries.get(i).at()))
                        .as("never before the planned wait")
                        .isGreaterThanOrEqualTo(planned.get(i).minusMillis(100));
            }
            assertThat(tries).allSatisfy(t -> assertThat(t.event()).isEqualTo("camera.secret_rotated"));
            assertThat(new JsonPath(tries.get(0).body()).getString("content"))
                    .contains(camera.stream().name())
                    .contains("new secret");

            Map<String, Object> latest = Sessions.page(admin)
                    .get("/api/admin/webhooks/{id}/deliveries", hook.getLong("id"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getMap("[0]");
            assertThat(latest.get("status")).isEqualTo("pending");
            assertThat(latest.get("lastStatus")).isEqualTo(500);
            assertThat((Integer) latest.get("attempts")).isGreaterThanOrEqualTo(4);
            assertThat(latest.get("nextAttemptAt")).isNotNull();

            receiver.answer(200);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "delivered"
                            .equals(Sessions.page(admin)
                                    .get("/api/admin/webhooks/{id}/deliveries", hook.getLong("id"))
                                    .jsonPath()
                                    .getString("[0].status")));
            delete(admin, hook.getLong("id"));
        }
    }

    @Test
    void anNtfyNotificationAttachesASnapshotLinkThatFetchesAJpegWithoutALogin() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String admin = Sessions.admin();
            JsonPath hook = create(admin, receiver.url("/ntfy"), List.of("camera.online"), "ntfy");
            StreamCatalog.Created camera = accounts.newStream(StreamFormat.MPEGTS);
            String id = camera.stream().id();
            String name = camera.stream().name();
            Process ffmpeg = TestMedia.publishWithFfmpeg(
                    relay.getPort(), id, camera.secret(), 60, Files.createTempFile("picam-ntfy-ffmpeg", ".log"));
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.about("/ntfy", name).size() == 1);
                WebhookReceiver.Received sent = receiver.about("/ntfy", name).get(0);
                assertThat(sent.body()).startsWith("Camera " + name + " is back online");
                assertThat(sent.contentType()).startsWith("text/plain");
                assertThat(sent.header("Tags")).isEqualTo("camera");
                // PICAM_PUBLIC_URL is https://relay.example in the test profile: a proxy in front of this relay
                assertThat(sent.header("Click")).isEqualTo("https://relay.example/streams/" + id);
                String attach = sent.header("Attach");
                assertThat(attach).startsWith("https://relay.example/api/streams/" + id + "/snapshot.jpg?expires=");
                URI link = URI.create(attach);
                long expires = Long.parseLong(link.getQuery().replaceAll("^expires=([0-9]+)&sig=.*$", "$1"));
                assertThat(expires - Instant.now().getEpochSecond())
                        .as("valid for a day (picam.snapshot.link-valid-for)")
                        .isBetween(86400L - 120, 86400L + 5);

                // first the relay's own picture (an ffmpeg decode, slow on a busy machine), seen by the admin; then the
                // link must give it at once: a failure here says which of the two went wrong
                await().alias("the relay has a picture of the camera")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () -> given().cookie(Sessions.COOKIE, admin)
                                        .get("/api/streams/{id}/snapshot.jpg", id)
                                        .statusCode(),
                                status -> status == 200);
                // fetched as ntfy's app does: no cookie, no token
                String pathAndQuery = link.getRawPath() + "?" + link.getRawQuery();
                Response picture = given().get(pathAndQuery);
                assertThat(picture.statusCode()).as("the signed link, no login").isEqualTo(200);
                assertThat(picture.contentType()).isEqualTo("image/jpeg");
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(picture.asByteArray()));
                assertThat(image).as("a JPEG the JDK decodes").isNotNull();
                assertThat(image.getWidth()).isEqualTo(320);

                given().get(pathAndQuery.replace("&sig=", "&sig=x")).then().statusCode(403);
            } finally {
                ffmpeg.destroyForcibly();
            }
            delete(admin, hook.getLong("id"));
        }
    }

    @Test
    void linkLocalAndNonHttpTargetsAreRefusedWithAClear400() {
        String admin = Sessions.admin();
        Sessions.page(admin)
                .contentType("application/json")
                .body(Map.of("url", "http://169.254.169.254/latest/meta-data/", "events", List.of("camera.offline")))
                .post("/api/admin/webhooks")
                .then()
                .statusCode(400)
                .body("detail", containsString("169.254.169.254"))
                .body("detail", containsString("link-local"));
        Sessions.page(admin)
                .contentType("application/json")
                .body(Map.of("url", "ftp://example.com/", "events", List.of("camera.offline")))
                .post("/api/admin/webhooks")
                .then()
                .statusCode(400)
                .body("detail", containsString("http"));
        Sessions.page(admin)
                .contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/", "events", List.of("camera.exploded")))
                .post("/api/admin/webhooks")
                .then()
                .statusCode(400)
                .body("detail", containsString("camera.exploded"));
        Sessions.page(admin)
                .contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/", "events", List.of("camera.offline"), "format", "xml"))
                .post("/api/admin/webhooks")
                .then()
                .statusCode(400)
                .body("detail", containsString("format"));
    }

    @Test
    void onlyAdminsManageWebhooksAndTheSecretIsNeverListed() throws Exception {
        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        Sessions.page(viewer).get("/api/admin/webhooks").then().statusCode(403);
        String admin = Sessions.admin();
        JsonPath hook = create(admin, "http://127.0.0.1:9/x", List.of("camera.online"), "ntfy");
        String listed = Sessions.page(admin)
                .get("/api/admin/webhooks")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(listed).contains("http://127.0.0.1:9/x").doesNotContain(hook.getString("secret"));
        delete(admin, hook.getLong("id"));
        Sessions.page(admin)
                .delete("/api/admin/webhooks/{id}", hook.getLong("id"))
                .then()
                .statusCode(404);
        Sessions.page(admin)
                .get("/api/admin/webhooks/{id}/deliveries", hook.getLong("id"))
                .then()
                .statusCode(404);
    }

    private static JsonPath create(String admin, String url, List<String> events, String format) {
        Map<String, Object> body = format == null
                ? Map.of("url", url, "events", events)
                : Map.of("url", url, "events", events, "format", format);
        return Sessions.page(admin)
                .contentType("application/json")
                .body(body)
                .post("/api/admin/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static void delete(String admin, long id) {
        Sessions.page(admin).delete("/api/admin/webhooks/{id}", id).then().statusCode(204);
    }

    /** As a receiver checks it: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>"> under the secret. */
    private static void verifySignature(String secret, WebhookReceiver.Received received) throws Exception {
        String[] parts = received.signature().split(",");
        assertThat(parts[0]).startsWith("t=");
        assertThat(parts[1]).startsWith("v1=");
        String t = parts[0].substring(2);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected =
                HexFormat.of().formatHex(mac.doFinal((t + "." + received.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(parts[1].substring(3)).isEqualTo(expected);
        assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)))
                .isLessThan(120);
    }
}
