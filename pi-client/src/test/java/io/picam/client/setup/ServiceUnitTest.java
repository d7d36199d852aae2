package io.picam.client.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.picam.client.config.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The unit as systemd itself reads it: Debian's systemd-analyze (package systemd, which .ci/run installs). */
class ServiceUnitTest {

    /** Out of systemd's 0 (locked down) to 100 (no protection); the unit without hardening scores 92. */
    private static final int MAX_EXPOSURE = 40;

    private static ServiceUnit unit(Path jar) {
        // verify checks that ExecStart's program exists: the java running this test does
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        return new ServiceUnit(
                "picam", "picam", List.of("video", "audio"), java, jar, Path.of("/etc/picam/client.properties"));
    }

    @Test
    void systemdAcceptsTheFencedInUnitWhichKeepsTheCameraAndItsRestarts() throws Exception {
        Path dir = Files.createTempDirectory("picam-unit");
        String text = unit(dir.resolve("quarkus-run.jar")).text();
        assertThat(text)
                .contains(
                        "Restart=always",
                        "SuccessExitStatus=143",
                        "SyslogIdentifier=picam",
                        "After=network-online.target",
                        "Wants=network-online.target",
                        "User=picam",
                        "Group=picam",
                        "SupplementaryGroups=video audio",
                        "NoNewPrivileges=yes",
                        "ProtectSystem=strict",
                        "ProtectHome=yes",
                        "PrivateTmp=yes",
                        "ProtectKernelTunables=yes",
                        "ProtectKernelModules=yes",
                        "ProtectControlGroups=yes",
                        "RestrictSUIDSGID=yes",
                        "LockPersonality=yes",
                        "RestrictRealtime=yes",
                        "RestrictNamespaces=yes");
        // the camera's /dev/video*, /dev/media*, /dev/v4l-subdev* and /dev/dma_heap must stay visible
        assertThat(text)
                .doesNotContain("PrivateDevices", "DeviceAllow", "DevicePolicy", "ProtectClock", "ReadWritePaths");
        Path file = Files.writeString(dir.resolve("picam.service"), text);

        Output verify = systemdAnalyze("verify", file.toString());
        assertThat(verify.exit()).as(verify.text()).isZero();
        // unknown keys are only warned about, with exit 0
        assertThat(verify.text()).as("systemd-analyze verify warned").doesNotContain("picam.service");

        Output security = systemdAnalyze("security", "--offline=true", "--threshold=" + MAX_EXPOSURE, file.toString());
        assertThat(security.exit())
                .as("exposure above %d.%d:%n%s", MAX_EXPOSURE / 10, MAX_EXPOSURE % 10, security.text())
                .isZero();
    }

    @Test
    void theServiceRunsTheSmallJvmOfTheLauncherWithTheClassDataArchiveBesideTheJar() throws Exception {
        Path jar = Path.of("/opt/picam/quarkus-run.jar");
        String text = unit(jar).text();
        assertThat(text)
                .contains("Environment=MALLOC_ARENA_MAX=2\n")
                .containsPattern("ExecStart=\\S+/java "
                        + Pattern.quote(JvmOptions.DEFAULTS + " -XX:SharedArchiveFile=/opt/picam/picam.jsa "
                                + JvmOptions.QUIET_CDS + " -jar " + jar + " stream\n"));
        String launcher = Files.readString(Path.of("src/main/sh/picam"));
        assertThat(launcher)
                .as("the launcher's defaults are the unit's")
                .contains(
                        "defaults=\"" + JvmOptions.DEFAULTS + "\"",
                        "quiet=\"" + JvmOptions.QUIET_CDS + "\"",
                        "MALLOC_ARENA_MAX:-" + JvmOptions.MALLOC_ARENA_MAX,
                        "/" + JvmOptions.ARCHIVE);
    }

    @Test
    void nothingInTheUnitCanBeSplitOrExpandedBySystemd() {
        assertThatThrownBy(() -> unit(Path.of("/opt/picam/quarkus-run.jar\nExecStartPre=/bin/sh")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the service cannot name");
        assertThatThrownBy(() -> unit(Path.of("/opt/my picam/quarkus-run.jar")))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> new ServiceUnit(
                        "picam\nUser=root",
                        "picam",
                        List.of("video"),
                        Path.of("/usr/bin/java"),
                        Path.of("/opt/picam/quarkus-run.jar"),
                        Path.of("/etc/picam/client.properties")))
                .hasMessageContaining("not a user or group name for the service: \"picam\\nUser=root\"");
    }

    private record Output(int exit, String text) {}

    private static Output systemdAnalyze(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("systemd-analyze"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail(
                    "systemd-analyze is missing (" + e.getMessage() + "): apt-get install -y systemd, as .ci/run does");
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("systemd-analyze finished")
                .isTrue();
        return new Output(p.exitValue(), text);
    }
}
