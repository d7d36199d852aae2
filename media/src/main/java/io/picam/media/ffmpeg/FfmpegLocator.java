package io.picam.media.ffmpeg;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds an ffmpeg binary: {@code PICAM_FFMPEG}, else the static build bundled by
 * {@code ws.schild:jave-nativebin-*} on the classpath (extracted once to a temp directory), else
 * {@code ffmpeg} on the {@code PATH}. Only the jar's resource is used, never jave's classes.
 */
public final class FfmpegLocator {

    /** Environment variable naming an ffmpeg executable to use instead of any other. */
    public static final String ENV_VAR = "PICAM_FFMPEG";

    private static final String RESOURCE_DIR = "ws/schild/jave/nativebin/";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private FfmpegLocator() {}

    /**
     * The ffmpeg to use.
     *
     * @throws IllegalStateException if {@code PICAM_FFMPEG} is set but not an executable file, or if
     *     no ffmpeg can be found at all
     */
    public static Path locate() {
        Optional<Path> configured = fromEnv(System.getenv(ENV_VAR));
        if (configured.isPresent()) {
            return configured.get();
        }
        return bundled()
                .or(() -> onPath("ffmpeg"))
                .orElseThrow(() ->
                        new IllegalStateException("no ffmpeg found: install ffmpeg so that it is on the PATH, or put"
                                + " ws.schild:jave-nativebin-linux64 (or -linux-arm64) on the classpath, or set "
                                + ENV_VAR + " to the path of an ffmpeg executable"));
    }

    /**
     * The ffmpeg bundled on the classpath by jave-nativebin for this machine, extracted to
     * {@code ${java.io.tmpdir}/picam-ffmpeg-<size>/ffmpeg} on first use and reused afterwards.
     *
     * @throws UncheckedIOException if the binary is bundled but cannot be extracted
     */
    public static Optional<Path> bundled() {
        Optional<URL> resource = bundledResource();
        if (resource.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(extract(resource.get()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled ffmpeg " + resource.get(), e);
        }
    }

    /** The first executable regular file called {@code name} in the directories of {@code PATH}. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, name);
            if (isExecutableFile(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** The path named by the environment variable's value, if set; fails loudly if it is unusable. */
    static Optional<Path> fromEnv(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path = Paths.get(value.strip());
        if (!isExecutableFile(path)) {
            // an explicit choice that does not work must not silently fall back to another ffmpeg
            throw new IllegalStateException(ENV_VAR + "=" + value + " is not an executable file");
        }
        return Optional.of(path.toAbsolutePath());
    }

    /** Resource names jave uses for Linux builds on this CPU, most likely first. */
    static List<String> resourceNames(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return List.of();
        }
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> List.of(RESOURCE_DIR + "ffmpeg-amd64");
            case "aarch64", "arm64" -> List.of(RESOURCE_DIR + "ffmpeg-arm64", RESOURCE_DIR + "ffmpeg-aarch64");
            default -> List.of();
        };
    }

    private static Optional<URL> bundledResource() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = FfmpegLocator.class.getClassLoader();
        }
        for (String name : resourceNames(System.getProperty("os.name", ""), System.getProperty("os.arch", ""))) {
            URL url = loader.getResource(name);
            if (url != null) {
                return Optional.of(url);
            }
        }
        return Optional.empty();
    }

    private static Path extract(URL resource) throws IOException {
        URLConnection connection = resource.openConnection();
        connection.setUseCaches(false); // a cached JarFile would stay open for the JVM's lifetime
        long size = connection.getContentLengthLong();
        try (InputStream in = connection.getInputStream()) {
            if (size < 0) {
                // size unknown up front: stage the bytes to learn it
                Path staged = Files.createTempFile("picam-ffmpeg", ".tmp");
                try {
                    Files.copy(in, staged, StandardCopyOption.REPLACE_EXISTING);
                    return install(Files.size(staged), Files.newInputStream(staged));
                } finally {
                    Files.deleteIfExists(staged);
                }
            }
            return install(size, in);
        }
    }

    /** Puts the binary in place unless an identical-sized one we own is already there. */
    private static Path install(long size, InputStream content) throws IOException {
        try (content) {
            Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "picam-ffmpeg-" + size);
            Path target = dir.resolve("ffmpeg");
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(dir);
                }
            }
            if (!OwnedFiles.isPrivate(dir)) {
                // another user could swap the binary under us: use a directory of our own instead
                dir = Files.createTempDirectory("picam-ffmpeg-" + size + "-");
                target = dir.resolve("ffmpeg");
            }
            if (isExecutableFile(target) && Files.size(target) == size && OwnedFiles.isPrivate(target)) {
                return target;
            }
            // write beside the target and move atomically so concurrent JVMs never run a partial file
            Path partial = Files.createTempFile(dir, "ffmpeg-", ".partial");
            try {
                Files.copy(content, partial, StandardCopyOption.REPLACE_EXISTING);
                OwnedFiles.setPermissions(partial, OWNER_ONLY);
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
            return target;
        }
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
