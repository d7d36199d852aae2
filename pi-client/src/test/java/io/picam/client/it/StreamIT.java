package io.picam.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.media.MediaSegment.Kind;
import io.picam.media.fmp4.Fmp4Framer;
import io.picam.media.ts.TsFramer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged client streaming into the packaged relay: both formats, a relay restart, a wrong secret, SIGTERM. */
class StreamIT {

    private static final Vertx VERTX = Vertx.vertx();
    private static RelayProcess relay;

    @BeforeAll
    static void startRelay() throws Exception {
        relay = new RelayProcess();
        relay.start();
    }

    @AfterAll
    static void stopRelay() throws Exception {
        relay.close();
        VERTX.close();
    }

    /** The first binary messages a new viewer gets. */
    private List<byte[]> watch(String streamId, int messages) throws Exception {
        List<byte[]> received = new CopyOnWriteArrayList<>();
        WebSocket ws = VERTX.createWebSocketClient(
                        new WebSocketClientOptions().setMaxMessageSize(64 << 20).setMaxFrameSize(64 << 20))
                .connect(new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(relay.port())
                        .setURI("/ws/streams/" + streamId)
                        .addHeader("Cookie", relay.cookie()))
                .onSuccess(socket -> socket.binaryMessageHandler(b -> received.add(b.getBytes())))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= messages);
            return List.copyOf(received);
        } finally {
            ws.close();
        }
    }

    @Test
    void mpegtsFlowsAndSurvivesARelayRestartStartingAtAJoinPoint() throws Exception {
        String[] stream = relay.createStream("mpegts");
        try (ClientProcess client = ClientProcess.stream(relay, stream[0], stream[1], "mpegts")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.live(stream[0]));
            assertThat(TsFramer.isJoinPointPacket(watch(stream[0], 1).get(0), 0))
                    .isTrue();

            relay.stop();
            relay.start();
            long ready = System.nanoTime();
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> relay.live(stream[0]));
            System.out.printf("stream back %d ms after the relay was ready%n", (System.nanoTime() - ready) / 1_000_000);
            assertThat(TsFramer.isJoinPointPacket(watch(stream[0], 1).get(0), 0))
                    .as("after the restart the client resumed at a join point")
                    .isTrue();
            assertThat(client.process.isAlive()).isTrue();
        }
    }

    @Test
    void behindARouterThatAnswers503WhileTheRelayRestartsTheStreamIsBackAsSoonAsTheRelayIs() throws Exception {
        String[] stream = relay.createStream("mpegts");
        try (RouterProxy router = new RouterProxy(VERTX, relay.port());
                ClientProcess client = ClientProcess.stream(
                        URI.create("http://127.0.0.1:" + router.port()), stream[0], stream[1], "mpegts")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.live(stream[0]));
            router.down(true);
            relay.stop();
            relay.start();
            // the router keeps answering 503 for a while, as during a slow boot: every attempt fails and the
            // backoff grows past 8 s
            await().atMost(Duration.ofSeconds(30)).until(() -> client.log().split("retrying in", -1).length > 5);
            router.down(false);
            long up = System.nanoTime();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> relay.live(stream[0]));
            long backMillis = (System.nanoTime() - up) / 1_000_000;
            System.out.printf("stream back %d ms after the router passed requests again%n", backMillis);
            assertThat(backMillis)
                    .as("the client noticed the relay was ready instead of waiting out its backoff")
                    .isLessThan(4_000);
        }
    }

    @Test
    void theClientSaysWhereItStreamsAndEachChangeOfStateButWithQuietOnlyProblems() throws Exception {
        String[] stream = relay.createStream("mpegts");
        try (ClientProcess client = ClientProcess.stream(relay, stream[0], stream[1], "mpegts")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> client.log().contains("Connected to the relay"));
            assertThat(client.log().lines())
                    .as("plain lines, level first, for journald")
                    .anyMatch(l -> l.startsWith("INFO  Streaming to "
                                    + relay.url("").toString().replaceAll("/$", "") + ": stream " + stream[0]
                                    + ", mpegts 320x240 at 25 fps 500k from test, encoder ")
                            && l.matches(".* \\((system|bundled)\\)"))
                    .anyMatch(l -> l.equals(
                            "INFO  Connected to the relay: uploading to " + relay.url("/ingest/" + stream[0])));
        }
        try (ClientProcess quiet = ClientProcess.stream(relay, stream[0], stream[1], "mpegts", "--quiet")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.live(stream[0]));
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> !quiet.log().contains("Streaming to")
                            && !quiet.log().contains("Connected to the relay"));
        }
    }

    @Test
    void fmp4FlowsWithTheInitSegmentFirst() throws Exception {
        String[] stream = relay.createStream("fmp4");
        try (ClientProcess client = ClientProcess.stream(relay, stream[0], stream[1], "fmp4")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.live(stream[0]));
            List<byte[]> messages = watch(stream[0], 2);
            byte[] both = new byte[messages.get(0).length + messages.get(1).length];
            System.arraycopy(messages.get(0), 0, both, 0, messages.get(0).length);
            System.arraycopy(messages.get(1), 0, both, messages.get(0).length, messages.get(1).length);
            var segments = new Fmp4Framer().feed(both, 0, both.length);
            assertThat(segments.get(0).kind()).isEqualTo(Kind.INIT);
            assertThat(segments.get(1).kind()).isEqualTo(Kind.JOIN);
        }
    }

    @Test
    void aWrongSecretIsReportedClearlyAndNotHammered() throws Exception {
        String[] stream = relay.createStream("mpegts");
        try (ClientProcess client = ClientProcess.stream(relay, stream[0], "not-the-secret", "mpegts")) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> client.log().contains("refused the stream secret (401)"));
            // the next attempt comes at the cap (30 s), not at the backoff's start (0.5 s): announced, and no second
            // attempt within several starting intervals (with 0.5 s doubling there would be three or more)
            assertThat(client.log()).contains("refused the stream secret (401)").contains("retrying in 30.0 s");
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(8))
                    .until(() -> client.log()
                                    .lines()
                                    .filter(l -> l.contains("(401)"))
                                    .count()
                            == 1);
            assertThat(relay.live(stream[0])).isFalse();
        }
    }

    @Test
    void sigtermEndsTheClientAndItsEncoder() throws Exception {
        String[] stream = relay.createStream("mpegts");
        try (ClientProcess client = ClientProcess.stream(relay, stream[0], stream[1], "mpegts")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.live(stream[0]));
            List<ProcessHandle> encoders = client.process.descendants().toList();
            assertThat(encoders).as("ffmpeg runs under the client").isNotEmpty();
            client.process.destroy(); // SIGTERM
            assertThat(client.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> encoders.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    @Test
    void aKilledEncoderIsRestartedAndTheStreamComesBack() throws Exception {
        String[] stream = relay.createStream("mpegts");
        try (ClientProcess client = ClientProcess.stream(relay, stream[0], stream[1], "mpegts")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.live(stream[0]));
            List<ProcessHandle> first = client.process.descendants().toList();
            assertThat(first).as("ffmpeg runs under the client").isNotEmpty();
            first.forEach(ProcessHandle::destroyForcibly); // SIGKILL, as the OOM killer would

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> client.log().contains("The encoder stopped; restarting"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> client.process.descendants().anyMatch(p -> p.isAlive() && !first.contains(p)));
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> relay.live(stream[0]));
            List<byte[]> fresh = watch(stream[0], 20); // 20 messages: only a running encoder produces them
            assertThat(TsFramer.isJoinPointPacket(fresh.get(0), 0))
                    .as("a new viewer starts at a join point")
                    .isTrue();
            assertThat(client.process.isAlive()).isTrue();
        }
    }

    @Test
    void doctorReportsAMissingEncoder() throws Exception {
        var dir = Files.createTempDirectory("picam-it-doctor");
        try (ClientProcess doctor = ClientProcess.start(
                dir,
                "doctor",
                "--source",
                "test",
                "--format",
                "mpegts",
                "--encoder-binary",
                "/nonexistent/ffmpeg",
                "--relay",
                relay.url("").toString(),
                "--stream",
                "abc",
                "--secret-file",
                dir.resolve("secret").toString())) {
            assertThat(doctor.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(doctor.log()).contains("FAIL encoder", "/nonexistent/ffmpeg", "ok   relay");
            assertThat(doctor.process.exitValue()).isEqualTo(1);
        }
    }

    @Test
    void setupWithAPersonalAccessTokenAndClearRefusals() throws Exception {
        var root = Files.createTempDirectory("picam-it-token");
        try (ClientProcess setup = ClientProcess.start(
                root,
                "setup",
                "--root",
                root.toString(),
                "--relay",
                relay.url("").toString(),
                "--token",
                relay.token(),
                "--name",
                "By token",
                "--source",
                "test",
                "--format",
                "fmp4")) {
            assertThat(setup.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(setup.process.exitValue()).as(setup.log()).isZero();
            assertThat(setup.log()).contains("created stream By token");
        }
        // a stream created on the admin page: its id, and the secret shown there
        String[] existing = relay.createStream("mpegts");
        var pi = Files.createTempDirectory("picam-it-existing");
        try (ClientProcess setup = ClientProcess.start(
                Map.of("PICAM_SECRET", existing[1]),
                pi,
                "setup",
                "--root",
                pi.toString(),
                "--relay",
                relay.url("").toString(),
                "--stream",
                existing[0],
                "--source",
                "test",
                "--format",
                "mpegts")) {
            assertThat(setup.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(setup.process.exitValue()).as(setup.log()).isZero();
            assertThat(Files.readString(pi.resolve("etc/picam/secret")).strip()).isEqualTo(existing[1]);
            assertThat(Files.readString(pi.resolve("etc/picam/client.properties")))
                    .contains("stream=" + existing[0]);
        }
        // a wrong secret for an existing stream: refused before anything is written
        var wrong = Files.createTempDirectory("picam-it-wrong");
        try (ClientProcess setup = ClientProcess.start(
                Map.of("PICAM_SECRET", "not-" + existing[1]),
                wrong,
                "setup",
                "--root",
                wrong.toString(),
                "--relay",
                relay.url("").toString(),
                "--stream",
                existing[0],
                "--source",
                "test",
                "--format",
                "mpegts")) {
            assertThat(setup.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(setup.log())
                    .contains(
                            "picam setup: stream " + existing[0] + ": the relay does not accept this stream id"
                                    + " and secret (401)",
                            "nothing written")
                    .doesNotContain("\tat ", "Exception");
            assertThat(setup.process.exitValue()).isEqualTo(2);
            assertThat(wrong.resolve("etc")).as("nothing written").doesNotExist();
        }
        var other = Files.createTempDirectory("picam-it-token");
        try (ClientProcess setup = ClientProcess.start(
                other,
                "setup",
                "--root",
                other.toString(),
                "--relay",
                relay.url("").toString(),
                "--token",
                "picam_pat_not-a-real-one",
                "--name",
                "Nope")) {
            assertThat(setup.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(setup.log())
                    .contains("picam setup: cannot check the token: the relay does not accept these credentials (401)");
            assertThat(setup.process.exitValue()).isEqualTo(2);
        }
        try (ClientProcess setup = ClientProcess.start(
                other,
                "setup",
                "--root",
                other.toString(),
                "--relay",
                "http://127.0.0.1:9",
                "--user",
                "admin",
                "--password",
                "whatever-it-is",
                "--name",
                "Nope")) {
            assertThat(setup.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(setup.log())
                    .contains("picam setup: cannot reach the relay at http://127.0.0.1:9 (connection refused)");
            assertThat(setup.process.exitValue()).isEqualTo(2);
        }
    }

    @Test
    void thePicamLauncherRunsTheClient() throws Exception {
        var launcher = Path.of(System.getProperty("picam.client.jar", "target/quarkus-app/quarkus-run.jar"))
                .resolveSibling("picam");
        assertThat(Files.isExecutable(launcher)).as(launcher + " is executable").isTrue();
        Process p = new ProcessBuilder(
                        launcher.toString(),
                        "stream",
                        "--dry-run",
                        "--source",
                        "test",
                        "--format",
                        "fmp4",
                        "--relay",
                        "http://127.0.0.1:9",
                        "--stream",
                        "abc")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("-movflags +frag_keyframe+empty_moov+default_base_moof");
    }

    @Test
    void configurationErrorsAreOneLineAndANonZeroExit() throws Exception {
        var dir = Files.createTempDirectory("picam-it-config");
        var secret = dir.resolve("secret");
        Files.writeString(secret, "s3cret", StandardCharsets.UTF_8); // default umask: readable by others
        try (ClientProcess client = ClientProcess.start(
                dir,
                "stream",
                "--source",
                "test",
                "--relay",
                relay.url("").toString(),
                "--stream",
                "abc",
                "--secret-file",
                secret.toString())) {
            assertThat(client.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(client.process.exitValue()).isEqualTo(2);
            assertThat(client.log())
                    .contains(
                            "picam stream: secret file " + secret + " is readable by other users (mode rw-r--r--)",
                            "run  chmod o-rwx,g-w " + secret);
        }
        try (ClientProcess client = ClientProcess.start(
                dir,
                "stream",
                "--source",
                "test",
                "--relay",
                relay.url("").toString(),
                "--stream",
                "abc",
                "--secret-file",
                dir.resolve("missing").toString())) {
            assertThat(client.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(client.process.exitValue()).isEqualTo(2);
            assertThat(client.log()).contains("does not exist");
        }
    }

    @Test
    void setupCreatesTheStreamOnceWritesPrivateFilesAndDoctorApproves() throws Exception {
        var root = Files.createTempDirectory("picam-it-root");
        String[] args = {
            "setup",
            "--root",
            root.toString(),
            "--relay",
            relay.url("").toString(),
            "--user",
            "admin",
            "--password",
            RelayProcess.PASSWORD,
            "--name",
            "Garden",
            "--source",
            "test",
            "--format",
            "mpegts"
        };
        try (ClientProcess first = ClientProcess.start(root, args)) {
            assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.process.exitValue()).as(first.log()).isZero();
            assertThat(first.log()).contains("created stream Garden");
        }
        var config = root.resolve("etc/picam/client.properties");
        var secret = root.resolve("etc/picam/secret");
        var unit = root.resolve("etc/systemd/system/picam.service");
        for (var file : List.of(config, secret)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as(file.toString())
                    .isEqualTo("rw-r-----"); // the service's group may read them
        }
        assertThat(Files.readString(unit))
                .contains(
                        "Restart=always",
                        "After=network-online.target",
                        "User=picam",
                        "ExecStart=/usr/bin/java",
                        " stream");
        String streamId = Files.readAllLines(config).stream()
                .filter(l -> l.startsWith("stream="))
                .findFirst()
                .orElseThrow()
                .substring("stream=".length());

        try (ClientProcess again = ClientProcess.start(root, args)) {
            assertThat(again.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(again.process.exitValue()).isZero();
            assertThat(again.log()).as("idempotent").contains("keeping stream " + streamId);
        }

        try (ClientProcess doctor = ClientProcess.start(
                root,
                "doctor",
                "--source",
                "test",
                "--format",
                "mpegts",
                "--relay",
                relay.url("").toString(),
                "--stream",
                streamId,
                "--secret-file",
                secret.toString())) {
            assertThat(doctor.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(doctor.log()).contains("ok   relay", "ok   secret");
            assertThat(doctor.process.exitValue()).isZero();
        }
        Files.writeString(secret, "wrong\n");
        try (ClientProcess doctor = ClientProcess.start(
                root,
                "doctor",
                "--source",
                "test",
                "--format",
                "mpegts",
                "--relay",
                relay.url("").toString(),
                "--stream",
                streamId,
                "--secret-file",
                secret.toString())) {
            assertThat(doctor.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(doctor.log())
                    .contains("FAIL secret   the relay does not accept this stream id and secret (401)");
            assertThat(doctor.process.exitValue()).isEqualTo(1);
        }
    }
}
