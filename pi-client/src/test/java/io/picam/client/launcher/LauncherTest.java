package io.picam.client.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.client.setup.JvmOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code picam} launcher (src/main/sh/picam) with a stand-in for java (JAVA=...) that records its arguments and,
 * when asked to, writes a class data archive: the first run that may write beside the jar makes the archive, later
 * runs map it, and PICAM_JAVA_OPTS replaces all of it.
 */
class LauncherTest {

    private static final String FAKE_JAVA = """
            #!/bin/sh
            echo "$@" >> "$(dirname "$0")/java-args"
            for a; do case $a in -XX:ArchiveClassesAtExit=*) echo archive > "${a#*=}";; esac; done
            exit 2
            """;

    private record Run(int exit, String args) {}

    private static Run launch(Path app, Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(app.resolve("java-args"));
        ProcessBuilder builder = new ProcessBuilder(app.resolve("picam").toString()).redirectErrorStream(true);
        builder.command().addAll(List.of(args));
        builder.environment().put("JAVA", app.resolve("java").toString());
        builder.environment().remove("PICAM_JAVA_OPTS");
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(app.resolve("java-args"), StandardCharsets.UTF_8)
                        .strip());
    }

    private static Path app() throws Exception {
        Path app = Files.createTempDirectory("picam-launcher");
        Files.copy(Path.of("src/main/sh/picam"), app.resolve("picam"));
        Files.writeString(app.resolve("java"), FAKE_JAVA);
        for (String f : new String[] {"picam", "java"}) {
            Files.setPosixFilePermissions(app.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return app;
    }

    @Test
    void theFirstRunMakesTheClassDataArchiveAndTheNextOnesMapItWithTheSmallJvmOptions() throws Exception {
        Path app = app();
        Run first = launch(app, Map.of(), "doctor");
        assertThat(first.exit()).as("java's exit status").isEqualTo(2);
        assertThat(first.args())
                .startsWith(JvmOptions.DEFAULTS + " -XX:ArchiveClassesAtExit=" + app.resolve("picam.jsa."))
                .endsWith(JvmOptions.QUIET_CDS + " -jar " + app.resolve("quarkus-run.jar") + " doctor");
        assertThat(app.resolve("picam.jsa")).as("moved into place once written").hasContent("archive");
        try (var files = Files.list(app)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("picam.jsa."));
        }

        Run next = launch(app, Map.of(), "stream", "--quiet");
        assertThat(next.args())
                .isEqualTo(JvmOptions.DEFAULTS + " -XX:SharedArchiveFile=" + app.resolve("picam.jsa") + " "
                        + JvmOptions.QUIET_CDS + " -jar " + app.resolve("quarkus-run.jar") + " stream --quiet");
    }

    @Test
    void picamJavaOptsReplaceTheDefaultsAndTheArchive() throws Exception {
        Path app = app();
        Run run = launch(app, Map.of("PICAM_JAVA_OPTS", "-Xmx64m"), "stream");
        assertThat(run.args()).isEqualTo("-Xmx64m -jar " + app.resolve("quarkus-run.jar") + " stream");
        assertThat(app.resolve("picam.jsa")).doesNotExist();
    }
}
