package io.picam.client.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picam.client.config.ConfigurationException;
import io.picam.client.encoder.EncoderBinary.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderSearchTest {

    @TempDir
    Path dir;

    private Path fake(String name) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin-" + name));
        Path script = Files.writeString(bin.resolve(name), "#!/bin/sh\necho fake\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void theSystemsFfmpegOnThePathComesBeforeTheBundledOne() throws Exception {
        Path system = fake("ffmpeg");
        Optional<Path> bundled = BundledFfmpeg.find();
        assertThat(bundled)
                .as("the tests have jave-nativebin on their class path")
                .isPresent();

        EncoderBinary chosen = new EncoderSearch("/nonexistent:" + system.getParent(), null, () -> bundled).ffmpeg();

        assertThat(chosen).isEqualTo(new EncoderBinary(system, Origin.SYSTEM));
        assertThat(chosen.toString()).isEqualTo(system + " (system)");
    }

    @Test
    void avconvCountsAsTheSystemsEncoder() throws Exception {
        Path avconv = fake("avconv");
        assertThat(new EncoderSearch(avconv.getParent().toString(), null, Optional::empty).ffmpeg())
                .isEqualTo(new EncoderBinary(avconv, Origin.SYSTEM));
    }

    @Test
    void withoutOneOnThePathTheBundledFfmpegIsTheFallback() {
        EncoderBinary chosen = new EncoderSearch("", null, BundledFfmpeg::find).ffmpeg();

        assertThat(chosen.origin()).isEqualTo(Origin.BUNDLED);
        assertThat(chosen.path()).isExecutable();
    }

    @Test
    void withNeitherTheMessageSaysWhatToInstall() {
        assertThatThrownBy(() -> new EncoderSearch(dir.toString(), null, Optional::empty).ffmpeg())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "no ffmpeg or avconv on the PATH: sudo apt install ffmpeg (or name one with --encoder-binary)");
    }

    @Test
    void whatTheUserNamedWins() throws Exception {
        Path system = fake("ffmpeg");
        Path mine = fake("my-ffmpeg");
        EncoderSearch search =
                new EncoderSearch(system.getParent() + ":" + mine.getParent(), mine.toString(), Optional::empty);

        assertThat(search.ffmpeg()).isEqualTo(new EncoderBinary(mine, Origin.ENVIRONMENT));
        assertThat(search.named("my-ffmpeg")).isEqualTo(new EncoderBinary(mine, Origin.OPTION));
        assertThat(search.named(system.toString())).isEqualTo(new EncoderBinary(system, Origin.OPTION));
        assertThatThrownBy(() -> search.named("/nonexistent/ffmpeg"))
                .hasMessage("--encoder-binary /nonexistent/ffmpeg is not an executable file");
        assertThatThrownBy(() -> new EncoderSearch("", dir.toString(), Optional::empty).ffmpeg())
                .hasMessageContaining("PICAM_FFMPEG=" + dir + " is not an executable file");
    }
}
