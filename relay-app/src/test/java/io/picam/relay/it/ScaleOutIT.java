package io.picam.relay.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import io.picam.media.ffmpeg.FfmpegLocator;
import io.picam.media.fmp4.Fmp4Framer;
import io.picam.relay.alerts.WebhookReceiver;
import io.picam.relay.cluster.ClusterForgery;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestMedia;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two relay instances behind one URL (as two Heroku web dynos), started by the Procfile's web line on one
 * PostgreSQL and one real Redis: a session from either works on both, a camera publishing to A is watched on B
 * with the very same bytes, B's first and later viewers get a picture at once although the camera sends a
 * keyframe only every 10 s, counts and live state agree on both, a rotation, a deletion or a withdrawn grant on one
 * instance acts on the other, a crashed instance drops out of the counts, Redis going away never touches A's own
 * viewers while B's resume by themselves when it is back; and what someone else publishes on Redis (unsigned,
 * signed with another key, or signed but malformed) is dropped.
 *
 * <p>Each test makes its own streams, cameras, users and viewers and closes them after itself, and starts with
 * both instances connected to Redis: the tests hold in any order. Only the infrastructure (database, Redis, the
 * two instances) is shared, and a test that disturbs it (Redis stopped, B's link silenced) puts it back.
 */
class ScaleOutIT {

    private static final String ADMIN_PASSWORD = "scale-out-admin-password";
    private static final String SESSION_KEY = "scale-out-session-key-0123456789abcdef";
    /** A keyframe every 10 s: without snapshots and per-instance caches, a viewer on B would wait that long. */
    private static final int GOP_FRAMES = 250;

    private static PostgresServer postgres;
    private static RedisServer redis;
    private static ProcfileRelay a;
    private static ProcfileRelay b;
    /** B reaches Redis through it; A directly. */
    private static FlakyLink bToRedis;

    /** What the running test opened (cameras, viewers, more instances), closed after it, newest first. */
    private final List<AutoCloseable> opened = new ArrayList<>();

    private String admin;

    /** A stream of the test's own, with its publishing secret. */
    private record Stream(String id, String secret) {}

    @BeforeAll
    static void startDatabaseRedisAndTwoRelays() throws Exception {
        postgres = new PostgresServer();
        postgres.start();
        redis = new RedisServer();
        redis.start();
        a = relay("a");
        bToRedis = new FlakyLink(redis.port());
        b = relay("b", Map.of("REDIS_URL", bToRedis.url()));
        a.start();
        b.start();
        RestAssured.baseURI = "http://127.0.0.1";
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, bToRedis, redis, postgres}) {
            if (c != null) {
                c.close();
            }
        }
        RestAssured.reset();
    }

    @BeforeEach
    void adminSessionWithBothInstancesOnRedis() {
        on(a);
        admin = Sessions.admin(ADMIN_PASSWORD);
        // a test before may have restarted Redis or silenced B's link: the instances reconnect by themselves
        for (ProcfileRelay relay : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> metric(relay, admin, "picam_cluster_connected") == 1.0);
        }
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable c : opened) {
            c.close();
        }
        opened.clear();
    }

    private static ProcfileRelay relay(String name) throws Exception {
        return relay(name, Map.of("REDIS_URL", redis.url()));
    }

    private static ProcfileRelay relay(String name, Map<String, String> redisSettings) throws Exception {
        Map<String, String> env = new HashMap<>(redisSettings);
        env.putAll(Map.of(
                "DATABASE_URL",
                postgres.databaseUrl(),
                "PICAM_ADMIN_PASSWORD",
                ADMIN_PASSWORD,
                "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY",
                SESSION_KEY,
                "PICAM_DATA_DIR",
                Files.createTempDirectory("picam-it-" + name).toString(),
                // webhooks to a receiver on loopback, and cameras offline after a short grace
                "PICAM_WEBHOOKS_ALLOW_PRIVATE",
                "true",
                "PICAM_ALERTS_OFFLINE_GRACE",
                "5S"));
        return new ProcfileRelay(env);
    }

    private static void on(ProcfileRelay relay) {
        RestAssured.port = relay.port();
    }

    /** A new stream, made through {@code relay}. */
    private Stream stream(ProcfileRelay relay, String name) {
        on(relay);
        Response created = Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"format\":\"fmp4\"}")
                .post("/api/admin/streams");
        created.then().statusCode(201);
        return new Stream(created.path("id"), created.path("secret"));
    }

    /** ffmpeg publishing a test pattern to {@code relay} for 15 minutes, with a keyframe every {@code gopFrames}. */
    private Process camera(ProcfileRelay relay, Stream stream, String secret, int gopFrames) throws Exception {
        Process camera = TestMedia.publishFmp4WithFfmpeg(
                relay.port(),
                stream.id(),
                secret,
                900,
                Files.createTempFile("scale-out-camera", ".log"),
                false,
                gopFrames);
        opened.add(camera::destroyForcibly);
        return camera;
    }

    private LiveViewer watch(ProcfileRelay relay, String streamId, String session) {
        LiveViewer viewer = LiveViewer.open(relay.url("/"), streamId, session);
        opened.add(viewer);
        return viewer;
    }

    /** A new user with the role viewer, allowed to watch {@code stream}; made through A. */
    private String viewerOf(Stream stream, String password) {
        String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
        on(a);
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"roles\":[\"viewer\"]}")
                .post("/api/admin/users")
                .then()
                .statusCode(201);
        Sessions.page(admin)
                .put("/api/admin/streams/{id}/viewers/{user}", stream.id(), username)
                .then()
                .statusCode(204);
        return username;
    }

    @Test
    void aSessionMadeOnOneInstanceIsValidOnTheOther() {
        on(b);
        given().cookie(Sessions.COOKIE, admin).get("/api/me").then().statusCode(200);
        // and a change made through B with the page's CSRF token from B
        Stream made = stream(b, "Made through B");
        on(a);
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/streams")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + made.id() + "' }.name", Matchers.equalTo("Made through B"));
    }

    @Test
    void aCameraPublishingToAIsWatchedOnBWithTheSameBytesAndAPictureAtOnce() throws Exception {
        Stream stream = stream(a, "Busy camera");
        LiveViewer onA = watch(a, stream.id(), admin);
        camera(a, stream, stream.secret(), GOP_FRAMES);
        await().atMost(Duration.ofSeconds(30)).until(() -> decodableFrom(onA.binaries()));
        // the viewer on B now arrives mid-GOP: the next keyframe is up to 10 s away

        long opened = System.nanoTime();
        LiveViewer onB = watch(b, stream.id(), admin);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> decodableFrom(onB.binaries()));
        System.out.printf(
                "first viewer on B: init and a keyframe %d ms after the WebSocket opened (GOP 10 s)%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened));

        // the same bytes, message for message, on both instances
        await().atMost(Duration.ofSeconds(20)).until(() -> onB.binaries().size() > 30);
        List<byte[]> fromA = onA.binaries();
        List<byte[]> fromB = onB.binaries();
        assertThat(fromB.get(0)).as("the init segment").isEqualTo(fromA.get(0));
        int start = indexOf(fromA, fromB.get(1));
        assertThat(start).as("B starts at a fragment A also had").isPositive();
        int compared = Math.min(fromA.size() - start, fromB.size() - 1);
        assertThat(compared).isGreaterThan(20);
        for (int i = 0; i < compared; i++) {
            assertThat(fromB.get(1 + i)).as("fragment %d on B", i).isEqualTo(fromA.get(start + i));
        }
        assertThat(decodedFrames(fromB))
                .as("what B's viewer got decodes from its first byte")
                .isGreaterThan(25);

        // live state and counts agree, whichever instance answers
        for (ProcfileRelay relay : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(streamView(relay, stream))
                            .containsEntry("live", true)
                            .containsEntry("viewers", 2));
        }
        // and the players on both instances are told the total
        await().atMost(Duration.ofSeconds(10))
                .until(() -> onA.texts().stream().anyMatch(t -> t.contains("\"viewers\":2"))
                        && onB.texts().stream().anyMatch(t -> t.contains("\"viewers\":2")));
    }

    @Test
    void aLateJoinerOnBDecodesAtOnce() throws Exception {
        Stream stream = stream(a, "Late joiners");
        camera(a, stream, stream.secret(), GOP_FRAMES);
        LiveViewer first = watch(b, stream.id(), admin);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> decodableFrom(first.binaries()) && first.binaries().size() > 5);

        long opened = System.nanoTime();
        LiveViewer late = watch(b, stream.id(), admin);
        // from B's own join-point cache: well within the 10 s GOP
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> decodableFrom(late.binaries()));
        System.out.printf(
                "late joiner on B: decodable %d ms after opening%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened));
        await().atMost(Duration.ofSeconds(10)).until(() -> late.binaries().size() > 10);
        assertThat(decodedFrames(late.binaries())).isGreaterThan(10);
    }

    @Test
    void aThirdInstanceReachesRedisOverTlsWithASelfSignedCertificate() throws Exception {
        Stream stream = stream(a, "Over TLS");
        camera(a, stream, stream.secret(), 25);
        try (ProcfileRelay c = relay("c", Map.of("REDIS_URL", redis.tlsUrl(), "PICAM_REDIS_TLS_VERIFY", "false"));
                ProcfileRelay strict = relay("strict", Map.of("REDIS_URL", redis.tlsUrl()))) {
            c.start();
            LiveViewer onC = watch(c, stream.id(), admin);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> decodableFrom(onC.binaries()) && onC.binaries().size() > 5);
            // checking the certificate (the default) refuses this one, says so, and the relay serves on alone
            strict.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> strict.log().contains("Redis commands connection down"));
            on(strict);
            given().get("/q/health/ready").then().statusCode(200);
            assertThat(strict.log()).doesNotContain(ADMIN_PASSWORD);
        }
    }

    @Test
    void aLinkToRedisThatGoesSilentIsFoundAndMadeAgain() throws Exception {
        Stream stream = stream(a, "Silent link");
        camera(a, stream, stream.secret(), 25);
        LiveViewer onA = watch(a, stream.id(), admin);
        LiveViewer onB = watch(b, stream.id(), admin);
        await().atMost(Duration.ofSeconds(30)).until(() -> decodableFrom(onB.binaries()));
        int commandsDown = occurrences(b.log(), "commands connection down (no answer");
        int subscriptionsDown = occurrences(b.log(), "subscriptions connection down (no answer");
        // B's connections to Redis stop carrying anything, without being closed: only B's own checks can tell
        bToRedis.swallow(true);
        try {
            int beforeA = onA.byteCount();
            await().atMost(Duration.ofSeconds(10)).until(() -> onA.byteCount() > beforeA + 50_000);
            // B's own checks find its connections dead (its heartbeat goes unanswered; the subscription, on the same
            // path, is made again with it), and every connection made meanwhile is silent too
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> occurrences(b.log(), "commands connection down (no answer") > commandsDown
                            && occurrences(b.log(), "subscriptions connection down (no answer") > subscriptionsDown);
        } finally {
            bToRedis.swallow(false);
        }
        int gapAt = onB.binaries().size();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> onB.binaries().size() > gapAt + 10);
        System.out.printf(
                "B's viewer resumed %d ms after its silent link to Redis carried bytes again%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
        assertThat(onA.closed() || onB.closed()).isFalse();
    }

    @Test
    void redisGoingAwayNeverTouchesAsViewersAndBResumesByItself() throws Exception {
        Stream stream = stream(a, "Redis away");
        camera(a, stream, stream.secret(), 25);
        LiveViewer onA = watch(a, stream.id(), admin);
        LiveViewer onB = watch(b, stream.id(), admin);
        await().atMost(Duration.ofSeconds(30)).until(() -> decodableFrom(onB.binaries()));
        redis.stop();
        int beforeA = onA.byteCount();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> onA.byteCount() > beforeA + 50_000);
            assertThat(onA.closed()).isFalse();
        } finally {
            redis.start();
        }
        int gapAt = onB.binaries().size();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> onB.binaries().size() > gapAt + 10);
        System.out.printf(
                "B's viewer resumed %d ms after Redis came back%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
        assertThat(onB.closed()).isFalse();
        // what arrives after the outage starts at a keyframe, so the player picks up again without a reload
        List<byte[]> afterGap = new ArrayList<>();
        afterGap.add(onB.binaries().get(0));
        afterGap.addAll(onB.binaries().subList(gapAt, onB.binaries().size()));
        assertThat(kinds(afterGap).stream()
                        .filter(k -> k != MediaSegment.Kind.INIT)
                        .findFirst())
                .as("the first fragment after the outage")
                .contains(MediaSegment.Kind.JOIN);
        assertThat(decodedFrames(afterGap)).isGreaterThan(10);
    }

    @Test
    void rotatingTheSecretOnBCutsThePublisherOnA() throws Exception {
        Stream stream = stream(a, "Rotated");
        Process camera = camera(a, stream, stream.secret(), 25);
        LiveViewer onB = watch(b, stream.id(), admin);
        await().atMost(Duration.ofSeconds(30)).until(() -> decodableFrom(onB.binaries()));

        on(b);
        Sessions.page(admin)
                .post("/api/admin/streams/" + stream.id() + "/secret")
                .then()
                .statusCode(200);
        long rotated = System.nanoTime();
        assertThat(camera.waitFor(10, TimeUnit.SECONDS))
                .as("ffmpeg's upload to A ended")
                .isTrue();
        System.out.printf(
                "publisher on A cut %d ms after the rotation on B%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rotated));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> onB.texts().get(onB.texts().size() - 1).contains("\"live\":false"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(streamView(a, stream)).containsEntry("live", false));
    }

    @Test
    void deletingAStreamOnBCutsItsCameraAndItsViewersOnA() throws Exception {
        Stream stream = stream(a, "Deleted");
        Process camera = camera(a, stream, stream.secret(), 25);
        LiveViewer onA = watch(a, stream.id(), admin);
        await().atMost(Duration.ofSeconds(30)).until(() -> decodableFrom(onA.binaries()));

        on(b);
        Sessions.page(admin).delete("/api/admin/streams/" + stream.id()).then().statusCode(204);
        assertThat(camera.waitFor(10, TimeUnit.SECONDS))
                .as("ffmpeg's upload to A ended")
                .isTrue();
        await().atMost(Duration.ofSeconds(10)).until(onA::closed);
        assertThat(onA.closeStatus()).isEqualTo((short) 1008);
    }

    @Test
    void aGrantWithdrawnOnAClosesTheUsersViewerOnB() {
        Stream stream = stream(a, "Granted");
        String user = viewerOf(stream, "first-password-of-a-viewer");
        on(b);
        String session = Sessions.login(user, "first-password-of-a-viewer");
        LiveViewer onB = watch(b, stream.id(), session);
        await().atMost(Duration.ofSeconds(10)).until(() -> !onB.texts().isEmpty());

        on(a);
        Sessions.page(admin)
                .delete("/api/admin/streams/{id}/viewers/{user}", stream.id(), user)
                .then()
                .statusCode(204);
        // nothing polled: the change travels as a signed message and B checks the user's rights again at once
        await().atMost(Duration.ofSeconds(10)).until(onB::closed);
        assertThat(onB.closeStatus()).isEqualTo((short) 1008);
        on(b);
        given().cookie(Sessions.COOKIE, session).get("/api/me").then().statusCode(200); // the login itself goes on
    }

    @Test
    void aShareLinkOpenedOnAWatchesOnBAndItsRevocationOnAClosesTheSocketOnB() {
        Stream stream = stream(a, "Shared");
        on(a);
        String token = Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"label\":\"for the neighbour\",\"expiresInHours\":1}")
                .post("/api/admin/streams/{id}/links", stream.id())
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        // the page on A gives the cookie; B takes it (same session key, the link read from the shared database)
        String share =
                given().get("/s/" + token).then().statusCode(200).extract().cookie("picam-share");
        LiveViewer onB = LiveViewer.open(b.url("/"), stream.id(), null, Map.of("Cookie", "picam-share=" + share));
        opened.add(onB);
        await().atMost(Duration.ofSeconds(10)).until(() -> !onB.texts().isEmpty());
        on(b);
        given().cookie("picam-share", share).get("/api/streams").then().statusCode(403);

        on(a);
        long linkId = Sessions.page(admin)
                .get("/api/admin/streams/{id}/links", stream.id())
                .then()
                .extract()
                .<Number>path("[0].id")
                .longValue();
        Sessions.page(admin).delete("/api/admin/links/{id}", linkId).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(onB::closed);
        assertThat(onB.closeStatus()).isEqualTo((short) 1008);
        assertThat(LiveViewer.refusal(b.url("/"), stream.id(), null, Map.of("Cookie", "picam-share=" + share)))
                .isEqualTo(401);
    }

    @Test
    void aGrantChangedOnOneInstanceCountsOnTheOtherAtOnceThoughItRemembersGrants() {
        Stream stream = stream(a, "Remembered camera");
        String user = viewerOf(stream, "password-of-a-remembered-viewer");
        on(b);
        String session = Sessions.login(user, "password-of-a-remembered-viewer");
        LiveViewer.open(b.url("/"), stream.id(), session).close(); // B now answers this user's upgrades from memory

        on(a);
        Sessions.page(admin)
                .delete("/api/admin/streams/{id}/viewers/{user}", stream.id(), user)
                .then()
                .statusCode(204);
        // "accepted" fails refusal() with an AssertionError, which the await takes as "not yet"
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(LiveViewer.refusal(b.url("/"), stream.id(), session))
                        .isEqualTo(403));
        Sessions.page(admin)
                .put("/api/admin/streams/{id}/viewers/{user}", stream.id(), user)
                .then()
                .statusCode(204);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .untilAsserted(
                        () -> LiveViewer.open(b.url("/"), stream.id(), session).close());
    }

    @Test
    void aCameraReconnectingThroughTheOtherInstanceTakesOverAndEveryViewerFollows() throws Exception {
        Stream stream = stream(a, "Roaming camera");
        LiveViewer onA = watch(a, stream.id(), admin);
        LiveViewer onB = watch(b, stream.id(), admin);
        // the Pi comes through the router and lands on B
        Process viaB = camera(b, stream, stream.secret(), 25);
        int a0 = onA.byteCount();
        int b0 = onB.byteCount();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> onA.byteCount() > a0 + 50_000 && onB.byteCount() > b0 + 50_000);
        // then once more through A, with the upload through B still open: the newest wins, the other gets 409
        Process viaA = camera(a, stream, stream.secret(), 25);
        assertThat(viaB.waitFor(15, TimeUnit.SECONDS))
                .as("the older upload, through B, was ended")
                .isTrue();
        int a1 = onA.byteCount();
        int b1 = onB.byteCount();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> onA.byteCount() > a1 + 50_000 && onB.byteCount() > b1 + 50_000);
        assertThat(viaA.isAlive()).as("the newest upload goes on").isTrue();
        assertThat(onA.closed() || onB.closed()).isFalse();
    }

    @Test
    void aCameraGoingOfflineAndComingBackIsReportedOnceAlthoughBothInstancesWatchForIt() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        opened.add(receiver);
        on(b);
        long hook = Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/presence"), "events", List.of("camera.offline", "camera.online")))
                .post("/api/admin/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        opened.add(() -> {
            on(a);
            Sessions.page(admin).delete("/api/admin/webhooks/{id}", hook).then().statusCode(204);
        });
        Stream stream = stream(a, "Offline once");
        Process camera = camera(a, stream, stream.secret(), 25);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !receiver.about("/presence", stream.id()).isEmpty());

        camera.destroy();
        assertThat(camera.waitFor(15, TimeUnit.SECONDS)).isTrue();
        // the grace is 5 s; both instances look for cameras gone that long every second
        await().atMost(Duration.ofSeconds(60))
                .until(() -> receiver.about("/presence", stream.id()).size() >= 2);
        await().during(Duration.ofSeconds(15))
                .atMost(Duration.ofSeconds(20))
                .until(() -> receiver.about("/presence", stream.id()).size() == 2);

        // back, through the other instance this time
        camera(b, stream, stream.secret(), 25);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> receiver.about("/presence", stream.id()).size() >= 3);
        await().during(Duration.ofSeconds(10))
                .atMost(Duration.ofSeconds(15))
                .until(() -> receiver.about("/presence", stream.id()).size() == 3);
        assertThat(receiver.about("/presence", stream.id()))
                .extracting(WebhookReceiver.Received::event)
                .containsExactly("camera.online", "camera.offline", "camera.online");
        assertThat(receiver.about("/presence", stream.id()).get(1).body())
                .contains("\"stream\":{\"id\":\"" + stream.id() + "\"");
    }

    @Test
    void aPasswordResetOnOneInstanceEndsTheUsersLoginsAndTheirSocketsOnTheOther() {
        Stream stream = stream(a, "Reset");
        String user = viewerOf(stream, "first-password-of-a-viewer");
        on(b);
        String onB = Sessions.login(user, "first-password-of-a-viewer");
        given().cookie(Sessions.COOKIE, onB).get("/api/me").then().statusCode(200);
        LiveViewer socketOnB = watch(b, stream.id(), onB);
        await().atMost(Duration.ofSeconds(10)).until(() -> !socketOnB.texts().isEmpty());

        on(a);
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"password\":\"second-password-of-a-viewer\"}")
                .patch("/api/admin/users/" + user)
                .then()
                .statusCode(200);
        long reset = System.nanoTime();
        // nothing polled: the end travels as a signed message and B closes the socket at once
        await().atMost(Duration.ofSeconds(10)).until(socketOnB::closed);
        assertThat(socketOnB.closeStatus()).isEqualTo((short) 1008);
        on(b);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> given().cookie(Sessions.COOKIE, onB)
                        .get("/api/me")
                        .then()
                        .statusCode(401));
        System.out.printf(
                "login and socket on B ended %d ms after the password reset on A%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reset));
    }

    @Test
    void guessingPasswordsIsLimitedAcrossInstancesNotPerInstance() {
        String user = viewerOf(stream(a, "Guarded by a limit"), "the-right-password-1");
        // 5 wrong guesses for one username (the limit), spread so that neither instance alone reaches it
        for (ProcfileRelay relay : List.of(a, a, a, b, b)) {
            on(relay);
            assertThat(login(user, "a-wrong-guess").getHeader("Location")).contains("error");
        }
        // now even the right password is refused on either instance, and it says for how long
        for (ProcfileRelay relay : List.of(a, b)) {
            on(relay);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Response refused = login(user, "the-right-password-1");
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isPositive();
                assertThat(refused.getCookie(Sessions.COOKIE)).isNull();
            });
        }
        on(a);
        assertThat(login("admin", ADMIN_PASSWORD).statusCode())
                .as("other users still log in")
                .isEqualTo(302);
    }

    @Test
    void aCrashedInstanceDropsOutOfTheCountsByItself() throws Exception {
        Stream stream = stream(a, "Crash");
        try (ProcfileRelay c = relay("crashing")) {
            c.start();
            watch(c, stream.id(), admin);
            watch(a, stream.id(), admin);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(streamView(a, stream)).containsEntry("viewers", 2));

            c.crash(); // no goodbye: its report stays in Redis until it expires
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(streamView(a, stream)).containsEntry("viewers", 1));
        }
    }

    @Test
    void messagesNotSignedWithTheInstancesKeyAreDroppedAndCounted() throws Exception {
        Stream stream = stream(a, "Guarded camera");
        Process camera = camera(a, stream, stream.secret(), 25);
        LiveViewer onB = watch(b, stream.id(), admin);
        await().atMost(Duration.ofSeconds(30)).until(() -> decodableFrom(onB.binaries()));
        Map<String, Double> beforeA = rejected(a);
        Map<String, Double> beforeB = rejected(b);

        // what someone else who reaches Redis could publish: cut the camera, inject a picture
        String otherKey = "not-the-instances-session-key-0123456789";
        for (byte[] control : ClusterForgery.cuttingControlMessages(stream.id())) {
            redis.publish(ClusterForgery.CONTROL, control);
            redis.publish(ClusterForgery.CONTROL, ClusterForgery.signed(otherKey, ClusterForgery.CONTROL, control));
        }
        byte[] marker = ("INJECTED-" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
        String media = ClusterForgery.mediaChannel(stream.id());
        byte[] segment = ClusterForgery.mediaSegment(marker);
        assertThat(redis.publish(media, segment))
                .as("B listens on the stream's channel")
                .isPositive();
        redis.publish(media, ClusterForgery.signed(otherKey, media, segment));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Double> afterA = rejected(a);
            Map<String, Double> afterB = rejected(b);
            assertThat(afterA.get("unsigned") - beforeA.get("unsigned"))
                    .as("unsigned on A")
                    .isGreaterThanOrEqualTo(3);
            assertThat(afterA.get("bad-signature") - beforeA.get("bad-signature"))
                    .as("forged on A")
                    .isGreaterThanOrEqualTo(3);
            assertThat(afterB.get("unsigned") - beforeB.get("unsigned"))
                    .as("unsigned on B")
                    .isGreaterThanOrEqualTo(4);
            assertThat(afterB.get("bad-signature") - beforeB.get("bad-signature"))
                    .as("forged on B")
                    .isGreaterThanOrEqualTo(4);
        });
        int seen = onB.byteCount();
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.byteCount() > seen + 20_000);
        assertThat(camera.isAlive()).as("the camera's upload to A goes on").isTrue();
        assertThat(onB.closed()).isFalse();
        assertThat(indexOf(onB.bytes(), marker))
                .as("the injected bytes on B's viewer")
                .isNegative();
        assertThat(a.log() + b.log()).doesNotContain("INJECTED-").doesNotContain(otherKey);
    }

    @Test
    void malformedControlMessagesWithAValidSignatureAreDroppedAndChangeNothing() throws Exception {
        Stream stream = stream(a, "Malformed");
        Process camera = camera(a, stream, stream.secret(), 25);
        LiveViewer onB = watch(b, stream.id(), admin);
        await().atMost(Duration.ofSeconds(30)).until(() -> decodableFrom(onB.binaries()));

        // as a buggy or newer instance with the right key might send them: not JSON, no stream, an unknown kind
        String id = stream.id();
        int exceptions = occurrences(a.log() + b.log(), "Exception");
        List<String> malformed = List.of(
                "not json at all",
                "{\"from\":\"f00d\"}",
                "{\"from\":\"f00d\",\"message\":{\"type\":\"rotated\"}}",
                "{\"from\":\"f00d\",\"message\":{\"type\":\"deleted\",\"streamId\":null}}",
                "{\"from\":\"f00d\",\"message\":{\"type\":\"explode\",\"streamId\":\"" + id + "\"}}",
                "{\"from\":\"f00d\",\"message\":{\"type\":\"rotated\",\"streamId\":\"" + id + "\"}} trailing");
        for (String message : malformed) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            assertThat(redis.publish(
                            ClusterForgery.CONTROL, ClusterForgery.signed(SESSION_KEY, ClusterForgery.CONTROL, bytes)))
                    .as("both instances listen")
                    .isGreaterThanOrEqualTo(2);
        }
        int seen = onB.byteCount();
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.byteCount() > seen + 20_000);
        assertThat(camera.isAlive()).as("the camera's upload to A goes on").isTrue();
        assertThat(onB.closed()).isFalse();
        assertThat(a.log() + b.log()).doesNotContain("explode");
        assertThat(occurrences(a.log() + b.log(), "Exception"))
                .as("exceptions in the logs")
                .isEqualTo(exceptions);
    }

    /** The stream as {@code /api/streams} on {@code relay} shows it to the admin. */
    private Map<String, Object> streamView(ProcfileRelay relay, Stream stream) {
        on(relay);
        return given().cookie(Sessions.COOKIE, admin)
                .get("/api/streams")
                .then()
                .statusCode(200)
                .extract()
                .path("find { it.id == '" + stream.id() + "' }");
    }

    /** picam_cluster_messages_rejected_total by reason, from the relay's /q/metrics. */
    private Map<String, Double> rejected(ProcfileRelay relay) {
        Map<String, Double> counts = new HashMap<>();
        Matcher m = Pattern.compile(
                        "(?m)^picam_cluster_messages_rejected_total\\{[^}]*reason=\"([^\"]+)\"[^}]*\\}\\s+(\\S+)$")
                .matcher(metrics(relay, admin));
        while (m.find()) {
            counts.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertThat(counts).as("the counters, registered at start").containsKeys("unsigned", "bad-signature", "stale");
        return counts;
    }

    /** One untagged metric's value, or NaN when the relay does not show it. */
    private static double metric(ProcfileRelay relay, String session, String name) {
        Matcher m =
                Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})?\\s+(\\S+)$").matcher(metrics(relay, session));
        return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
    }

    private static String metrics(ProcfileRelay relay, String session) {
        on(relay);
        return given().cookie(Sessions.COOKIE, session)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Response login(String username, String password) {
        return given().redirects()
                .follow(false)
                .formParam("j_username", username)
                .formParam("j_password", password)
                .post("/j_security_check");
    }

    private static int indexOf(List<byte[]> list, byte[] item) {
        for (int i = 0; i < list.size(); i++) {
            if (Arrays.equals(list.get(i), item)) {
                return i;
            }
        }
        return -1;
    }

    /** The viewer has an init segment followed by a fragment a decoder can start with. */
    private static boolean decodableFrom(List<byte[]> binaries) throws MediaFormatException {
        List<MediaSegment.Kind> kinds = kinds(binaries);
        return kinds.size() >= 2 && kinds.get(0) == MediaSegment.Kind.INIT && kinds.get(1) == MediaSegment.Kind.JOIN;
    }

    private static List<MediaSegment.Kind> kinds(List<byte[]> binaries) throws MediaFormatException {
        Fmp4Framer framer = new Fmp4Framer();
        List<MediaSegment.Kind> kinds = new ArrayList<>();
        for (byte[] message : binaries) {
            for (MediaSegment segment : framer.feed(message, 0, message.length)) {
                kinds.add(segment.kind());
            }
        }
        return kinds;
    }

    /** Frames ffmpeg decodes from the bytes, as a browser's decoder would get them; errors fail the decode. */
    private static int decodedFrames(List<byte[]> binaries) throws Exception {
        Path file = Files.createTempFile("scale-out-view", ".mp4");
        try (var out = Files.newOutputStream(file)) {
            for (byte[] message : binaries) {
                out.write(message);
            }
        }
        Process ffprobe = new ProcessBuilder(
                        FfmpegLocator.locate().toString(),
                        "-nostdin",
                        "-hide_banner",
                        "-v",
                        "error",
                        "-xerror",
                        "-i",
                        file.toString(),
                        "-f",
                        "framemd5",
                        "-")
                .redirectErrorStream(true)
                .start();
        String out = new String(ffprobe.getInputStream().readAllBytes());
        assertThat(ffprobe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffprobe.exitValue())
                .as(
                        "ffmpeg decodes without error: %s",
                        out.lines().filter(l -> !l.startsWith("0,")).limit(5).toList())
                .isZero();
        return (int) out.lines().filter(l -> l.startsWith("0,")).count();
    }
}
