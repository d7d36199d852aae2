package io.picam.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.picam.client.config.ConfigFile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

@QuarkusMainTest
class PicamCommandTest {

    @Test
    @Launch({"--help"})
    void helpListsTheSubcommands(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("stream", "setup", "doctor");
    }

    @Test
    @Launch(
            value = {"doctor", "--source", "test", "--relay", "http://127.0.0.1:9", "--stream", "abc"},
            exitCode = 1)
    void doctorSaysWhatWorksAndWhatDoesNot(LaunchResult result) {
        assertThat(result.getOutput())
                .contains("ok   encoder", "ok   camera   test pattern", "FAIL relay", "FAIL secret");
    }

    @Test
    @Launch(
            value = {"setup", "--root", "target/no-terminal-root"},
            exitCode = 2)
    void setupWithoutATerminalAsksForWhatIsMissing(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("picam setup: missing Relay URL");
    }

    @Test
    @Launch(
            value = {"stream", "--source", "test", "--relay", "ftp://x", "--stream", "abc"},
            exitCode = 2)
    void aBadRelayUrlIsOneClearLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("picam stream: --relay must be an http:// or https:// URL");
    }

    @Test
    @Launch(value = {"stream", "--source", "test", "--format", "fmp4", "--size", "640x360", "--dry-run"})
    void dryRunShowsTheEncoderCommand(LaunchResult result) {
        assertThat(result.getOutput())
                .contains("testsrc=size=640x360:rate=25", "libx264", "+frag_keyframe+empty_moov+default_base_moof");
    }

    @Test
    void doctorWithoutAnyConfigurationIsOneLineAndExit2(QuarkusMainLauncher launcher) throws Exception {
        String home = System.getProperty("user.home");
        System.setProperty("user.home", Files.createTempDirectory("picam-home").toString()); // no ~/.config/picam
        try {
            assumeTrue(ConfigFile.locate().isEmpty(), "this machine has a picam config (PICAM_CONFIG or /etc/picam)");
            LaunchResult result = launcher.launch("doctor");
            assertThat(result.exitCode())
                    .as(result.getOutput() + result.getErrorOutput())
                    .isEqualTo(2);
            assertThat(result.getOutput()).isEmpty();
            assertThat(result.getErrorOutput().lines())
                    .containsExactly(
                            "picam doctor: --relay is required"
                                    + " (e.g. https://my-relay.herokuapp.com); there is no config file: run  sudo picam setup  first");
        } finally {
            System.setProperty("user.home", home);
        }
    }

    @Test
    @Launch(
            value = {"stream", "--no-such-option"},
            exitCode = 2)
    void anUnknownOptionIsOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput().lines())
                .containsExactly("picam stream: Unknown option: '--no-such-option' (see  picam stream --help)");
    }

    @Test
    @Launch(
            value = {"stream", "--quiet", "--verbose", "--source", "test", "--dry-run"},
            exitCode = 2)
    void quietAndVerboseExcludeEachOther(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("picam stream: --quiet and --verbose exclude each other");
    }
}
