package io.picam.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Pi archives the build makes: no x86-64 program in them (neither a file nor an entry of a jar: the bundled
 * ffmpeg is 28 MB of nothing on a Pi), the launcher executable, and the client in them runs without the bundled
 * ffmpeg: it asks for the system's.
 */
class PiArchiveIT {

    private static final int EM_X86_64 = 0x3E;

    @ParameterizedTest
    @ValueSource(strings = {"linux-arm64", "linux-armhf"})
    void theArchiveHoldsTheClientAndNoX8664Binary(String platform) throws Exception {
        Path target = Path.of(System.getProperty("picam.client.jar", "target/quarkus-app/quarkus-run.jar"))
                .getParent()
                .getParent();
        Path archive;
        try (Stream<Path> files = Files.list(target)) {
            archive = files.filter(p -> p.getFileName().toString().matches("picam-[0-9].*-" + platform + "\\.tar\\.gz"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + platform + " archive in " + target));
        }
        Path dir = Files.createTempDirectory("picam-archive");
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
                .inheritIO()
                .start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0)
                .as("tar -xzf " + archive)
                .isTrue();

        Path app = dir.resolve("picam");
        assertThat(app.resolve("quarkus-run.jar")).isRegularFile();
        assertThat(app.resolve("picam")).isExecutable();
        List<String> x86 = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(file).toString();
                if (name.contains("jave-nativebin") || name.contains("ffmpeg-amd64")) {
                    x86.add(name);
                }
                try (InputStream in = Files.newInputStream(file)) {
                    if (isX8664Elf(in)) {
                        x86.add(name);
                    }
                }
                if (name.endsWith(".jar")) {
                    x86.addAll(x8664EntriesOf(file, name));
                }
            }
        }
        assertThat(x86).as("x86-64 binaries in " + archive.getFileName()).isEmpty();

        // what a Pi without ffmpeg sees: one line saying what to install (no bundled fallback, no stack trace)
        Process client = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        app.resolve("quarkus-run.jar").toString(),
                        "stream",
                        "--dry-run",
                        "--source",
                        "test")
                .redirectErrorStream(true)
                .start();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (out.contains("no ffmpeg or avconv on the PATH")) { // this machine has none: as on a fresh Pi
            assertThat(out.strip())
                    .isEqualTo("picam stream: no ffmpeg or avconv on the PATH: sudo apt install ffmpeg"
                            + " (or name one with --encoder-binary)");
            assertThat(client.exitValue()).isEqualTo(2);
        } else {
            assertThat(client.exitValue()).as(out).isZero();
            assertThat(out).contains("testsrc=").doesNotContain("picam-ffmpeg", "/ffmpeg/ffmpeg-");
        }
    }

    private static List<String> x8664EntriesOf(Path jar, String name) throws IOException {
        List<String> found = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.isDirectory()) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    if (isX8664Elf(in) || entry.getName().endsWith("ffmpeg-amd64")) {
                        found.add(name + "!" + entry.getName());
                    }
                }
            }
        }
        return found;
    }

    /** ELF magic, then e_machine (little-endian, at offset 18) is x86-64. */
    private static boolean isX8664Elf(InputStream in) throws IOException {
        byte[] head = in.readNBytes(20);
        return head.length == 20
                && head[0] == 0x7F
                && head[1] == 'E'
                && head[2] == 'L'
                && head[3] == 'F'
                && ((head[18] & 0xFF) | (head[19] & 0xFF) << 8) == EM_X86_64;
    }
}
