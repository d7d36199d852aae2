package io.picam.client.encoder;

import io.picam.media.ffmpeg.FfmpegLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The static ffmpeg of a development build, a fallback for the demo and the tests on a machine without ffmpeg:
 * {@code quarkus-app/ffmpeg/ffmpeg-<arch>} (unpacked there by the build; the Pi archives leave that folder out),
 * else jave-nativebin on the classpath (the tests). Never on the application's class path in a package: the Pi
 * archives drop the folder, and a jar listed by Quarkus but missing would fail every lookup.
 */
final class BundledFfmpeg {

    private BundledFfmpeg() {}

    static Optional<Path> find() {
        Optional<Path> beside = appDirectory()
                .map(d -> d.resolve("ffmpeg").resolve("ffmpeg-" + arch()))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p));
        if (beside.isPresent()) {
            return beside;
        }
        try {
            return FfmpegLocator.bundled();
        } catch (RuntimeException e) {
            return Optional.empty(); // cannot be extracted (a full /tmp): as if there were none
        }
    }

    /** jave's names for this CPU. */
    private static String arch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    /** quarkus-app/, from quarkus-app/app/picam-client-….jar; empty when not run from a package (the tests). */
    private static Optional<Path> appDirectory() {
        try {
            Path code = Path.of(BundledFfmpeg.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.isRegularFile(code) && code.getParent() != null
                    ? Optional.ofNullable(code.getParent().getParent())
                    : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
