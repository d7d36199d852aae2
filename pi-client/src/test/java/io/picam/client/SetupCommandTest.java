package io.picam.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.picam.client.config.RootTrust;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code picam setup} against a fake relay, whose answers the tests choose (the real relay never sends bad ids). */
@QuarkusMainTest
class SetupCommandTest {

    /** A group every Debian has (base-passwd), standing in for {@code picam}. */
    private static final String GROUP = "daemon";

    private static HttpServer relay;
    private static volatile String nextId = "Xb3_good-Id";

    @BeforeAll
    static void startRelay() throws IOException {
        relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        relay.createContext(
                "/api/me", e -> answer(e, "{\"username\":\"admin\",\"roles\":[\"admin\"],\"csrfToken\":\"c\"}"));
        relay.createContext(
                "/api/admin/streams",
                e -> answer(
                        e,
                        "{\"id\":\"" + nextId.replace("\n", "\\n")
                                + "\",\"name\":\"Garden\",\"format\":\"fmp4\",\"secret\":\"q9F-secret\"}"));
        relay.start();
    }

    @AfterAll
    static void stopRelay() {
        relay.stop(0);
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static LaunchResult setup(QuarkusMainLauncher launcher, Path root, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "setup",
                "--root",
                root.toString(),
                "--relay",
                "http://127.0.0.1:" + relay.getAddress().getPort(),
                "--token",
                "picam_pat_fake",
                "--source",
                "test",
                "--service-user",
                GROUP,
                "--jar",
                "/opt/picam/quarkus-run.jar"));
        args.addAll(List.of(more));
        return launcher.launch(args.toArray(String[]::new));
    }

    @Test
    void aStreamIdFromTheRelayWithAPathOrALineBreakIsNeverWritten(QuarkusMainLauncher launcher) throws Exception {
        for (String id : List.of("../../etc/shadow", "abc\nencoder-binary=/tmp/evil")) {
            nextId = id;
            Path root = Files.createTempDirectory("picam-setup");
            LaunchResult result = setup(launcher, root);
            assertThat(result.exitCode())
                    .as(result.getOutput() + result.getErrorOutput())
                    .isEqualTo(2);
            assertThat(result.getErrorOutput())
                    .contains("picam setup: the id the relay answered is not a stream id: \"" + id.replace("\n", "\\n")
                            + "\" (1 to 32 letters, digits, - and _)");
            assertThat(root.resolve("etc/picam/client.properties")).doesNotExist();
            assertThat(root.resolve("etc/systemd/system/picam.service")).doesNotExist();
        }
    }

    @Test
    void withoutATerminalAMissingPasswordIsNamedWithItsVariableAndTheTokenAlternative(QuarkusMainLauncher launcher)
            throws Exception {
        Path root = Files.createTempDirectory("picam-setup");
        LaunchResult result = launcher.launch(
                "setup",
                "--root",
                root.toString(),
                "--relay",
                "http://127.0.0.1:" + relay.getAddress().getPort(),
                "--source",
                "test");
        assertThat(result.exitCode())
                .as(result.getOutput() + result.getErrorOutput())
                .isEqualTo(2);
        assertThat(result.getErrorOutput().lines())
                .containsExactly(
                        "picam setup: missing Password of admin on the relay and no"
                                + " terminal to ask on: give --password or set PICAM_PASSWORD, or use an admin's token with --token or PICAM_TOKEN");
        try (var written = Files.list(root)) {
            assertThat(written).as("nothing written").isEmpty();
        }
    }

    @Test
    void aCameraNameMustBeOneLine(QuarkusMainLauncher launcher) throws Exception {
        nextId = "Xb3_good-Id";
        Path root = Files.createTempDirectory("picam-setup");
        LaunchResult result = setup(launcher, root, "--name", "Garden\nsource=v4l2");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput())
                .contains("picam setup: --name must be one line of text (got \"Garden\\nsource=v4l2\")");
        assertThat(root.resolve("etc/picam/client.properties")).doesNotExist();
    }

    @Test
    void theConfigAndSecretAreRootsAndReadableByTheServicesGroupAlsoAfterAnOlderSetup(QuarkusMainLauncher launcher)
            throws Exception {
        assertThat(RootTrust.forThisProcess().asRoot())
                .as("this test gives files away, so it runs as root (as CI does)")
                .isTrue();
        assertThat(Files.readAllLines(Path.of("/etc/group")))
                .as("group " + GROUP)
                .anyMatch(l -> l.startsWith(GROUP + ":"));
        nextId = "Xb3_good-Id";
        Path root = Files.createTempDirectory("picam-setup");
        Path etc = root.resolve("etc/picam");
        Path config = etc.resolve("client.properties");
        Path secret = etc.resolve("secret");
        LaunchResult first = setup(launcher, root);
        assertThat(first.exitCode())
                .as(first.getOutput() + first.getErrorOutput())
                .isZero();
        assertThat(Files.readString(config)).contains("stream=Xb3_good-Id\n");
        assertThat(Files.readString(secret)).isEqualTo("q9F-secret\n");
        assertServiceCanReadOnly(etc, config, secret);
        assertThat(mode(root.resolve("etc/systemd/system/picam.service"))).isEqualTo("rw-r--r--");

        // as an older setup left them: the service user's, and one readable by all
        for (Path p : List.of(etc, config, secret)) {
            Files.setAttribute(p, "unix:uid", 65534);
            Files.setAttribute(p, "unix:gid", 65534);
        }
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-rw-rw-"));
        LaunchResult again = setup(launcher, root);
        assertThat(again.exitCode())
                .as(again.getOutput() + again.getErrorOutput())
                .isZero();
        assertThat(again.getOutput()).contains("keeping stream Xb3_good-Id");
        assertServiceCanReadOnly(etc, config, secret);
        assertThat(Files.readString(secret)).isEqualTo("q9F-secret\n");
        try (var left = Files.list(etc)) {
            assertThat(left).as("no temporary files left").containsExactlyInAnyOrder(config, secret);
        }
    }

    private static void assertServiceCanReadOnly(Path dir, Path... files) throws IOException {
        assertThat(owner(dir)).as(dir.toString()).isEqualTo(Map.of("uid", 0, "group", GROUP));
        assertThat(mode(dir)).as(dir.toString()).isEqualTo("rwxr-x---");
        for (Path file : files) {
            assertThat(owner(file)).as(file.toString()).isEqualTo(Map.of("uid", 0, "group", GROUP));
            assertThat(mode(file)).as(file.toString()).isEqualTo("rw-r-----");
        }
    }

    private static Map<String, Object> owner(Path p) throws IOException {
        return Map.of(
                "uid",
                Files.getAttribute(p, "unix:uid"),
                "group",
                Files.readAttributes(p, PosixFileAttributes.class).group().getName());
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
