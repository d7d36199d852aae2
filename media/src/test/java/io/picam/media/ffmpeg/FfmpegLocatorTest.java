package io.picam.media.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegLocatorTest {

    @Test
    void locatedFfmpegRunsVersion() throws Exception {
        Path ffmpeg = FfmpegLocator.locate();

        assertThat(ffmpeg).isExecutable();
        Process process = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-version")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("ffmpeg version");
    }

    @Test
    void bundledBinaryIsExtractedOnceAndReused() throws Exception {
        boolean supported = !FfmpegLocator.resourceNames(System.getProperty("os.name"), System.getProperty("os.arch"))
                .isEmpty();
        assumeTrue(supported, "no jave-nativebin build for this platform");

        Path first = FfmpegLocator.bundled().orElseThrow();
        long modified = Files.getLastModifiedTime(first).toMillis();
        Path second = FfmpegLocator.bundled().orElseThrow();

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second).toMillis()).isEqualTo(modified);
        assertThat(first.getFileName()).hasToString("ffmpeg");
        assertThat(first.getParent().getFileName().toString()).isEqualTo("picam-ffmpeg-" + Files.size(first));
        assertThat(first).isExecutable();
    }

    @Test
    void resourceNamesFollowTheCpu() {
        assertThat(FfmpegLocator.resourceNames("Linux", "amd64"))
                .containsExactly("ws/schild/jave/nativebin/ffmpeg-amd64");
        assertThat(FfmpegLocator.resourceNames("Linux", "aarch64"))
                .first()
                .isEqualTo("ws/schild/jave/nativebin/ffmpeg-arm64");
        assertThat(FfmpegLocator.resourceNames("Mac OS X", "aarch64")).isEmpty();
        assertThat(FfmpegLocator.resourceNames("Linux", "riscv64")).isEmpty();
    }

    @Test
    void onPathFindsExecutablesOnly() {
        assertThat(FfmpegLocator.onPath("sh"))
                .hasValueSatisfying(sh -> assertThat(sh).isExecutable());
        assertThat(FfmpegLocator.onPath("picam-no-such-binary-3f9a")).isEmpty();
    }

    @Test
    void environmentVariableMustNameAnExecutable(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("not-ffmpeg.txt"), "hello");
        Path executable = Files.writeString(dir.resolve("ffmpeg"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));

        assertThat(FfmpegLocator.fromEnv(null)).isEmpty();
        assertThat(FfmpegLocator.fromEnv("  ")).isEmpty();
        assertThat(FfmpegLocator.fromEnv(executable.toString())).contains(executable);
        assertThatThrownBy(() -> FfmpegLocator.fromEnv(plain.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PICAM_FFMPEG=" + plain)
                .hasMessageContaining("not an executable file");
        assertThatThrownBy(() -> FfmpegLocator.fromEnv(dir.toString())).isInstanceOf(IllegalStateException.class);
    }
}
