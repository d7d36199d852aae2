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
    @Launch(value = {"stream"}, exitCode = PicamCommand.NOT_IMPLEMENTED)
    void unfinishedCommandsSaySoAndFail(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("picam stream: not implemented yet");
    }
}
