package io.picam.client.encoder;

import io.picam.client.config.ConfigurationException;
import io.picam.client.encoder.EncoderBinary.Origin;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses the encoder: what the user named ({@code --encoder-binary}, {@code PICAM_FFMPEG}), else the system's
 * ffmpeg or avconv on the PATH (on a Pi: built for it, with its hardware codecs), and only when there is none the
 * bundled static ffmpeg of a development build. Looks at the PATH it is given, so tests can choose it.
 */
public final class EncoderSearch {

    private static final String INSTALL = "sudo apt install ffmpeg";

    private final String path;
    private final String ffmpegVariable;
    private final Supplier<Optional<Path>> bundled;

    /**
     * @param path the value of {@code PATH}
     * @param ffmpegVariable the value of {@code PICAM_FFMPEG}
     * @param bundled the bundled ffmpeg, if this build has one
     */
    public EncoderSearch(String path, String ffmpegVariable, Supplier<Optional<Path>> bundled) {
        this.path = path == null ? "" : path;
        this.ffmpegVariable = ffmpegVariable;
        this.bundled = bundled;
    }

    public static EncoderSearch forThisProcess() {
        return new EncoderSearch(System.getenv("PATH"), System.getenv("PICAM_FFMPEG"), BundledFfmpeg::find);
    }

    /** The ffmpeg (or avconv) to run when {@code --encoder-binary} names none. */
    public EncoderBinary ffmpeg() {
        if (ffmpegVariable != null && !ffmpegVariable.isBlank()) {
            Path named = Path.of(ffmpegVariable.strip());
            if (!isExecutableFile(named)) {
                throw new ConfigurationException("PICAM_FFMPEG=" + ffmpegVariable + " is not an executable file");
            }
            return new EncoderBinary(named.toAbsolutePath(), Origin.ENVIRONMENT);
        }
        return onPath("ffmpeg")
                .or(() -> onPath("avconv"))
                .map(p -> new EncoderBinary(p, Origin.SYSTEM))
                .or(() -> bundled.get().map(p -> new EncoderBinary(p, Origin.BUNDLED)))
                .orElseThrow(() -> new ConfigurationException(
                        "no ffmpeg or avconv on the PATH: " + INSTALL + " (or name one with --encoder-binary)"));
    }

    /** {@code --encoder-binary}: a path, or a name looked up on the PATH. */
    public EncoderBinary named(String nameOrPath) {
        if (nameOrPath.contains("/")) {
            Path p = Path.of(nameOrPath);
            if (!isExecutableFile(p)) {
                throw new ConfigurationException("--encoder-binary " + nameOrPath + " is not an executable file");
            }
            return new EncoderBinary(p, Origin.OPTION);
        }
        return onPath(nameOrPath)
                .map(p -> new EncoderBinary(p, Origin.OPTION))
                .orElseThrow(() -> new ConfigurationException("--encoder-binary: no " + nameOrPath + " on the PATH"));
    }

    /** The first executable regular file of this name in the PATH's directories. */
    public Optional<Path> onPath(String name) {
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
