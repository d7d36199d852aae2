package io.picam.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.client.config.RootTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged client, run as root, with an encoder that another user put in the config: it must not run it. The
 * "encoder" is a script that leaves a mark, so a run shows even if the client then fails for another reason.
 */
class RootRefusalIT {

    private static final int NOBODY = 65534;
    private Path dir;
    private Path mark;
    private Path encoder;
    private Path config;

    @BeforeEach
    void files() throws Exception {
        assertThat(RootTrust.forThisProcess().asRoot())
                .as("this test is about running as root: run it as root (as CI does)")
                .isTrue();
        dir = Files.createTempDirectory("picam-it-root");
        mark = dir.resolve("encoder-ran");
        encoder = Files.writeString(dir.resolve("evil-ffmpeg"), "#!/bin/sh\ntouch " + mark + "\nsleep 30\n");
        Files.setPosixFilePermissions(encoder, PosixFilePermissions.fromString("rwx------"));
        config = Files.writeString(
                dir.resolve("client.properties"),
                "relay=http://127.0.0.1:9\nstream=abc\nsource=test\n" + "format=mpegts\nencoder-binary=" + encoder
                        + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void theClientRefusesToRunAsRootAnEncoderNamedInAConfigOfAnotherUser() throws Exception {
        Files.setAttribute(config, "unix:uid", NOBODY);
        for (String command : new String[] {"stream", "doctor"}) {
            try (ClientProcess client = ClientProcess.start(
                    Map.of("PICAM_CONFIG", config.toString(), "PICAM_SECRET", "s3cret"), dir, command)) {
                assertThat(client.process.waitFor(30, TimeUnit.SECONDS))
                        .as(command + " ended")
                        .isTrue();
                assertThat(client.log())
                        .contains("picam " + command + ": refusing to run as root an encoder named by config file "
                                + config + ": " + config + " is owned by uid 65534")
                        .doesNotContain("Exception", "\tat ");
                assertThat(client.process.exitValue()).as(client.log()).isEqualTo(2);
                assertThat(mark).as(command + " ran the encoder").doesNotExist();
            }
        }
    }

    @Test
    void theClientRefusesToRunAsRootAnEncoderAnotherUserCanReplace() throws Exception {
        Files.setAttribute(encoder, "unix:uid", NOBODY);
        try (ClientProcess client = ClientProcess.start(
                Map.of("PICAM_CONFIG", config.toString(), "PICAM_SECRET", "s3cret"), dir, "stream")) {
            assertThat(client.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(client.log())
                    .contains("picam stream: refusing to run encoder " + encoder + " as root: " + encoder
                            + " is owned by uid 65534");
            assertThat(client.process.exitValue()).isEqualTo(2);
            assertThat(mark).doesNotExist();
        }
    }
}
