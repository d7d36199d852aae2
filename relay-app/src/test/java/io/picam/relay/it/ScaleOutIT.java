package io.picam.relay.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import io.picam.media.ffmpeg.FfmpegLocator;
import io.picam.media.fmp4.Fmp4Framer;
import io.picam.relay.cluster.ClusterForgery;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestMedia;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Two relay instances behind one URL (as two Heroku web dynos), started by the Procfile's web line on one
 * PostgreSQL and one real Redis: a session from either works on both, a camera publishing to A is watched on B
 * with the very same bytes, B's first and later viewers get a picture at once although the camera sends a
 * keyframe only every 10 s, counts and live state agree on both, a rotation on B cuts the publisher on A, and
 * Redis going away never touches A's own viewers while B's resume by themselves when it is back; and what someone
 * else publishes on Redis (unsigned, or signed with another key) is dropped and counted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    private static final String ADMIN_PASSWORD = "scale-out-admin-password";
    /** A keyframe every 10 s: without snapshots and per-instance caches, a viewer on B would wait that long. */
    private static final int GOP_FRAMES = 250;

    private static PostgresServer postgres;
    private static RedisServer redis;
    private static ProcfileRelay a;
    private static ProcfileRelay b;
    /** B reaches Redis through it; A directly. */
    private static FlakyLink bToRedis;
    private static String admin;
    private static String streamId;
    private static String secret;
    private static Process camera;
    private static final List<LiveViewer> viewers = new ArrayList<>();

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

    private static ProcfileRelay relay(String name) throws Exception {
        return relay(name, Map.of("REDIS_URL", redis.url()));
    }

    private static ProcfileRelay relay(String name, Map<String, String> redisSettings) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(redisSettings);
        env.putAll(Map.of(
                "DATABASE_URL", postgres.databaseUrl(),
                "PICAM_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "scale-out-session-key-0123456789abcdef",
                "PICAM_DATA_DIR", Files.createTempDirectory("picam-it-" + name).toString()));
        return new ProcfileRelay(env);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        viewers.forEach(LiveViewer::close);
        if (camera != null) {
            camera.destroyForcibly();
        }
        for (AutoCloseable c : new AutoCloseable[] {a, b, bToRedis, redis, postgres}) {
            if (c != null) {
                c.close();
            }
        }
        RestAssured.reset();
    }

    private static void on(ProcfileRelay relay) {
        RestAssured.port = relay.port();
    }

    private static LiveViewer watch(ProcfileRelay relay) {
        LiveViewer viewer = LiveViewer.open(relay.url("/"), streamId, admin);
        viewers.add(viewer);
        return viewer;
    }

    @Test
    @Order(1)
    void aSessionMadeOnOneInstanceIsValidOnTheOther() throws Exception {
        on(a);
        admin = Sessions.admin(ADMIN_PASSWORD);
        on(b);
        given().cookie(Sessions.COOKIE, admin).get("/api/me").then().statusCode(200);
        // and a change made through B with the page's CSRF token from B
        Response created = Sessions.page(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"Busy camera\",\"format\":\"fmp4\"}").post("/api/admin/streams");
        created.then().statusCode(201);
        streamId = created.path("id");
        secret = created.path("secret");
    }

    @Test
    @Order(2)
    void aCameraPublishingToAIsWatchedOnBWithTheSameBytesAndAPictureAtOnce() throws Exception {
        LiveViewer onA = watch(a);
        camera = TestMedia.publishFmp4WithFfmpeg(a.port(), streamId, secret, 900, Files.createTempFile("scale-out-camera", ".log"),
                false, GOP_FRAMES);
        await().atMost(Duration.ofSeconds(30)).until(() -> decodableFrom(onA.binaries()));
        // the viewer on B now arrives mid-GOP: the next keyframe is up to 10 s away

        long opened = System.nanoTime();
        LiveViewer onB = watch(b);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> decodableFrom(onB.binaries()));
        long firstPictureMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
        System.out.printf("first viewer on B: init and a keyframe %d ms after the WebSocket opened (GOP 10 s)%n", firstPictureMillis);
        assertThat(firstPictureMillis).as("a picture at once on an instance that had no viewers of the stream")
                .isLessThan(2_000);

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
        assertThat(decodedFrames(fromB)).as("what B's viewer got decodes from its first byte").isGreaterThan(25);

        // live state and counts agree, whichever instance answers
        for (ProcfileRelay relay : List.of(a, b)) {
            on(relay);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, Object> view = given().cookie(Sessions.COOKIE, admin).get("/api/streams")
                        .then().statusCode(200).extract().path("find { it.id == '" + streamId + "' }");
                assertThat(view).containsEntry("live", true).containsEntry("viewers", 2);
            });
        }
        // and the players on both instances are told the total
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.texts().stream().anyMatch(t -> t.contains("\"viewers\":2"))
                && onB.texts().stream().anyMatch(t -> t.contains("\"viewers\":2")));
    }

    @Test
    @Order(3)
    void aLateJoinerOnBDecodesAtOnce() throws Exception {
        long opened = System.nanoTime();
        LiveViewer late = watch(b);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> decodableFrom(late.binaries()));
        System.out.printf("late joiner on B: decodable %d ms after opening%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened));
        await().atMost(Duration.ofSeconds(10)).until(() -> late.binaries().size() > 10);
        assertThat(decodedFrames(late.binaries())).isGreaterThan(10);
    }

    @Test
    @Order(4)
    void aThirdInstanceReachesRedisOverTlsWithASelfSignedCertificate() throws Exception {
        try (ProcfileRelay c = relay("c", Map.of("REDIS_URL", redis.tlsUrl(), "PICAM_REDIS_TLS_VERIFY", "false"));
             ProcfileRelay strict = relay("strict", Map.of("REDIS_URL", redis.tlsUrl()))) {
            c.start();
            LiveViewer onC = LiveViewer.open(c.url("/"), streamId, admin);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> decodableFrom(onC.binaries()) && onC.binaries().size() > 5);
            } finally {
                onC.close();
            }
            // checking the certificate (the default) refuses this one, says so, and the relay serves on alone
            strict.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> strict.log().contains("Redis commands connection down"));
            on(strict);
            given().get("/q/health/ready").then().statusCode(200);
            assertThat(strict.log()).doesNotContain(ADMIN_PASSWORD);
        }
    }

    @Test
    @Order(5)
    void aLinkToRedisThatGoesSilentIsFoundAndMadeAgain() throws Exception {
        LiveViewer onA = viewers.get(0);
        LiveViewer onB = viewers.get(1);
        // B's connections to Redis stop carrying anything, without being closed: only B's own checks can tell
        bToRedis.swallow(true);
        try {
            assertSilentLinkFound(onA);
        } finally {
            bToRedis.swallow(false);
        }
        int gapAt = onB.binaries().size();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> onB.binaries().size() > gapAt + 10);
        System.out.printf("B's viewer resumed %d ms after its silent link to Redis carried bytes again%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
        assertThat(onA.closed() || onB.closed()).isFalse();
    }

    private static void assertSilentLinkFound(LiveViewer onA) {
        int beforeA = onA.byteCount();
        await().atMost(Duration.ofSeconds(10)).until(() -> onA.byteCount() > beforeA + 50_000);
        // B's own checks find its connections dead (its heartbeat goes unanswered; the subscription, on the same
        // path, is made again with it), and every connection made meanwhile is silent too
        await().atMost(Duration.ofSeconds(30)).until(() -> b.log().contains("commands connection down (no answer")
                && b.log().contains("subscriptions connection down (no answer"));
    }

    @Test
    @Order(6)
    void redisGoingAwayNeverTouchesAsViewersAndBResumesByItself() throws Exception {
        LiveViewer onA = viewers.get(0);
        LiveViewer onB = viewers.get(1);
        redis.stop();
        int beforeA = onA.byteCount();
        await().atMost(Duration.ofSeconds(10)).until(() -> onA.byteCount() > beforeA + 50_000);
        assertThat(onA.closed()).isFalse();
        int gapAt = onB.binaries().size();

        redis.start();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> onB.binaries().size() > gapAt + 10);
        System.out.printf("B's viewer resumed %d ms after Redis came back%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
        assertThat(onB.closed()).isFalse();
        // what arrives after the outage starts at a keyframe, so the player picks up again without a reload
        List<byte[]> afterGap = new ArrayList<>();
        afterGap.add(onB.binaries().get(0));
        afterGap.addAll(onB.binaries().subList(gapAt, onB.binaries().size()));
        assertThat(kinds(afterGap).stream().filter(k -> k != MediaSegment.Kind.INIT).findFirst())
                .as("the first fragment after the outage").contains(MediaSegment.Kind.JOIN);
        assertThat(decodedFrames(afterGap)).isGreaterThan(10);
    }

    @Test
    @Order(7)
    void rotatingTheSecretOnBCutsThePublisherOnA() throws Exception {
        on(b);
        Sessions.page(admin).post("/api/admin/streams/" + streamId + "/secret").then().statusCode(200);
        long rotated = System.nanoTime();
        assertThat(camera.waitFor(10, TimeUnit.SECONDS)).as("ffmpeg's upload to A ended").isTrue();
        System.out.printf("publisher on A cut %d ms after the rotation on B%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rotated));
        LiveViewer onB = viewers.get(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.texts().get(onB.texts().size() - 1).contains("\"live\":false"));
        on(a);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().cookie(Sessions.COOKIE, admin)
                .get("/api/streams").then().statusCode(200)
                .body("find { it.id == '" + streamId + "' }.live", org.hamcrest.Matchers.equalTo(false)));
    }

    @Test
    @Order(8)
    void aCameraReconnectingThroughTheOtherInstanceTakesOverAndEveryViewerFollows() throws Exception {
        on(b);
        String newSecret = Sessions.page(admin).post("/api/admin/streams/" + streamId + "/secret").then().statusCode(200)
                .extract().path("secret");
        LiveViewer onA = viewers.get(0);
        LiveViewer onB = viewers.get(1);
        // the Pi comes back through the router and lands on B this time
        Process viaB = TestMedia.publishFmp4WithFfmpeg(b.port(), streamId, newSecret, 900,
                Files.createTempFile("scale-out-camera-b", ".log"), false, 25);
        try {
            int a0 = onA.byteCount();
            int b0 = onB.byteCount();
            await().atMost(Duration.ofSeconds(20)).until(() -> onA.byteCount() > a0 + 50_000 && onB.byteCount() > b0 + 50_000);
            // then once more through A, with the upload through B still open: the newest wins, the other gets 409
            Process viaA = TestMedia.publishFmp4WithFfmpeg(a.port(), streamId, newSecret, 900,
                    Files.createTempFile("scale-out-camera-a", ".log"), false, 25);
            camera = viaA;
            assertThat(viaB.waitFor(15, TimeUnit.SECONDS)).as("the older upload, through B, was ended").isTrue();
            int a1 = onA.byteCount();
            int b1 = onB.byteCount();
            await().atMost(Duration.ofSeconds(20)).until(() -> onA.byteCount() > a1 + 50_000 && onB.byteCount() > b1 + 50_000);
            assertThat(viaA.isAlive()).as("the newest upload goes on").isTrue();
            assertThat(onA.closed() || onB.closed()).isFalse();
        } finally {
            viaB.destroyForcibly();
        }
    }

    @Test
    @Order(9)
    void aPasswordResetOnOneInstanceEndsTheUsersLoginsAndTheirSocketsOnTheOther() throws Exception {
        on(a);
        Sessions.page(admin).contentType(ContentType.JSON)
                .body("{\"username\":\"lena\",\"password\":\"lenas-first-password\",\"roles\":[\"viewer\"]}")
                .post("/api/admin/users").then().statusCode(201);
        Sessions.page(admin).put("/api/admin/streams/{id}/viewers/lena", streamId).then().statusCode(204);
        on(b);
        String onB = Sessions.login("lena", "lenas-first-password");
        given().cookie(Sessions.COOKIE, onB).get("/api/me").then().statusCode(200);
        try (LiveViewer lenaOnB = LiveViewer.open(b.url("/"), streamId, onB)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !lenaOnB.texts().isEmpty());
            on(a);
            Sessions.page(admin).contentType(ContentType.JSON).body("{\"password\":\"lenas-second-password\"}")
                    .patch("/api/admin/users/lena").then().statusCode(200);
            long reset = System.nanoTime();
            // nothing polled: the end travels as a signed message and B closes the socket at once
            await().atMost(Duration.ofSeconds(3)).until(lenaOnB::closed);
            assertThat(lenaOnB.closeStatus()).isEqualTo((short) 1008);
            on(b);
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    given().cookie(Sessions.COOKIE, onB).get("/api/me").then().statusCode(401));
            System.out.printf("login and socket on B ended %d ms after the password reset on A%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reset));
        }
    }

    @Test
    @Order(10)
    void guessingPasswordsIsLimitedAcrossInstancesNotPerInstance() {
        // 5 wrong guesses for one username (the limit), spread so that neither instance alone reaches it
        for (ProcfileRelay relay : List.of(a, a, a, b, b)) {
            on(relay);
            assertThat(login("lena", "a-wrong-guess").getHeader("Location")).contains("error");
        }
        // now even the right password is refused on either instance, and it says for how long
        for (ProcfileRelay relay : List.of(a, b)) {
            on(relay);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Response refused = login("lena", "lenas-second-password");
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isPositive();
                assertThat(refused.getCookie(Sessions.COOKIE)).isNull();
            });
        }
        on(a);
        assertThat(login("admin", ADMIN_PASSWORD).statusCode()).as("other users still log in").isEqualTo(302);
    }

    @Test
    @Order(12)
    void aGrantChangedOnOneInstanceCountsOnTheOtherAtOnceThoughItRemembersGrants() {
        on(a);
        String session = Sessions.admin(ADMIN_PASSWORD);
        Response created = Sessions.page(session).contentType(ContentType.JSON)
                .body("{\"name\":\"Remembered camera\",\"format\":\"fmp4\"}").post("/api/admin/streams");
        String id = created.path("id");
        Sessions.page(session).contentType(ContentType.JSON)
                .body("{\"username\":\"omar\",\"password\":\"omars-own-password\",\"roles\":[\"viewer\"]}")
                .post("/api/admin/users").then().statusCode(201);
        Sessions.page(session).put("/api/admin/streams/{id}/viewers/omar", id).then().statusCode(204);
        on(b);
        String omarOnB = Sessions.login("omar", "omars-own-password");
        LiveViewer.open(b.url("/"), id, omarOnB).close(); // B now answers omar's upgrades from memory

        on(a);
        Sessions.page(session).delete("/api/admin/streams/{id}/viewers/omar", id).then().statusCode(204);
        // "accepted" fails refusal() with an AssertionError, which the await takes as "not yet"
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(LiveViewer.refusal(b.url("/"), id, omarOnB)).isEqualTo(403));
        Sessions.page(session).put("/api/admin/streams/{id}/viewers/omar", id).then().statusCode(204);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() ->
                LiveViewer.open(b.url("/"), id, omarOnB).close());
    }

    @Test
    @Order(11)
    void messagesNotSignedWithTheInstancesKeyAreDroppedAndCounted() throws Exception {
        // on its own stream, camera and viewer, so that it holds in any order
        on(a);
        String session = Sessions.admin(ADMIN_PASSWORD);
        Response created = Sessions.page(session).contentType(ContentType.JSON)
                .body("{\"name\":\"Guarded camera\",\"format\":\"fmp4\"}").post("/api/admin/streams");
        created.then().statusCode(201);
        String id = created.path("id");
        Process guarded = TestMedia.publishFmp4WithFfmpeg(a.port(), id, created.path("secret"), 120,
                Files.createTempFile("scale-out-guarded", ".log"), false, 25);
        LiveViewer onB = LiveViewer.open(b.url("/"), id, session);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> decodableFrom(onB.binaries()));
            Map<String, Double> beforeA = rejected(a, session);
            Map<String, Double> beforeB = rejected(b, session);

            // what someone else who reaches Redis could publish: cut the camera, inject a picture
            String otherKey = "not-the-instances-session-key-0123456789";
            for (byte[] control : ClusterForgery.cuttingControlMessages(id)) {
                redis.publish(ClusterForgery.CONTROL, control);
                redis.publish(ClusterForgery.CONTROL, ClusterForgery.signed(otherKey, ClusterForgery.CONTROL, control));
            }
            byte[] marker = ("INJECTED-" + java.util.UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            String media = ClusterForgery.mediaChannel(id);
            byte[] segment = ClusterForgery.mediaSegment(marker);
            assertThat(redis.publish(media, segment)).as("B listens on the stream's channel").isPositive();
            redis.publish(media, ClusterForgery.signed(otherKey, media, segment));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, Double> afterA = rejected(a, session);
                Map<String, Double> afterB = rejected(b, session);
                assertThat(afterA.get("unsigned") - beforeA.get("unsigned")).as("unsigned on A").isGreaterThanOrEqualTo(3);
                assertThat(afterA.get("bad-signature") - beforeA.get("bad-signature")).as("forged on A").isGreaterThanOrEqualTo(3);
                assertThat(afterB.get("unsigned") - beforeB.get("unsigned")).as("unsigned on B").isGreaterThanOrEqualTo(4);
                assertThat(afterB.get("bad-signature") - beforeB.get("bad-signature")).as("forged on B").isGreaterThanOrEqualTo(4);
            });
            int seen = onB.byteCount();
            await().atMost(Duration.ofSeconds(10)).until(() -> onB.byteCount() > seen + 20_000);
            assertThat(guarded.isAlive()).as("the camera's upload to A goes on").isTrue();
            assertThat(onB.closed()).isFalse();
            assertThat(indexOf(onB.bytes(), marker)).as("the injected bytes on B's viewer").isNegative();
            assertThat(a.log() + b.log()).doesNotContain("INJECTED-").doesNotContain(otherKey);
        } finally {
            onB.close();
            guarded.destroyForcibly();
        }
    }

    /** picam_cluster_messages_rejected_total by reason, from the relay's /q/metrics. */
    private static Map<String, Double> rejected(ProcfileRelay relay, String session) {
        on(relay);
        String metrics = given().cookie(Sessions.COOKIE, session).get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> counts = new java.util.HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^picam_cluster_messages_rejected_total\\{[^}]*reason=\"([^\"]+)\"[^}]*\\}\\s+(\\S+)$").matcher(metrics);
        while (m.find()) {
            counts.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertThat(counts).as("the counters, registered at start").containsKeys("unsigned", "bad-signature", "stale");
        return counts;
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
        return given().redirects().follow(false).formParam("j_username", username).formParam("j_password", password)
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
        Process ffprobe = new ProcessBuilder(FfmpegLocator.locate().toString(), "-nostdin", "-hide_banner", "-v", "error",
                "-xerror", "-i", file.toString(), "-f", "framemd5", "-").redirectErrorStream(true).start();
        String out = new String(ffprobe.getInputStream().readAllBytes());
        assertThat(ffprobe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffprobe.exitValue()).as("ffmpeg decodes without error: %s", out.lines().filter(l -> !l.startsWith("0,"))
                .limit(5).toList()).isZero();
        return (int) out.lines().filter(l -> l.startsWith("0,")).count();
    }
}
