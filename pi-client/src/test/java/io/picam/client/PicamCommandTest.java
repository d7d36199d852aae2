package io.picam.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

@QuarkusMainTest
class PicamCommandTest {

    @Test
    @Launch({"--help"})
    void helpListsTheSubcommands(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("stream", "setup", "doctor");
    }

    @Test
    @Launch(value = {"doctor", "--source", "test", "--relay", "http://127.0.0.1:9", "--stream", "abc"}, exitCode = 1)
    void doctorSaysWhatWorksAndWhatDoesNot(LaunchResult result) {
        assertThat(result.getOutput()).contains("ok   encoder", "ok   camera   test pattern", "FAIL relay", "FAIL secret");
    }

    @Test
    @Launch(value = {"setup", "--root", "target/no-terminal-root"}, exitCode = 2)
    void setupWithoutATerminalAsksForWhatIsMissing(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("picam setup: missing Relay URL");
    }

    @Test
    @Launch(value = {"stream", "--source", "test", "--relay", "ftp://x", "--stream", "abc"}, exitCode = 2)
    void aBadRelayUrlIsOneClearLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("picam stream: --relay must be an http:// or https:// URL");
    }

    @Test
    @Launch(value = {"stream", "--source", "test", "--format", "fmp4", "--size", "640x360", "--dry-run"})
    void dryRunShowsTheEncoderCommand(LaunchResult result) {
        assertThat(result.getOutput()).contains("testsrc=size=640x360:rate=25", "libx264",
                "+frag_keyframe+empty_moov+default_base_moof");
    }
}
