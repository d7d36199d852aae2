package io.picam.client.encoder;

import java.nio.file.Path;

/** The encoder program the client runs, and where it was found (said in the start line and by {@code doctor}). */
public record EncoderBinary(Path path, Origin origin) {

    public enum Origin {
        /** named by {@code --encoder-binary} (or its key in the config file) */
        OPTION("--encoder-binary"),
        /** named by {@code PICAM_FFMPEG} */
        ENVIRONMENT("PICAM_FFMPEG"),
        /** the system's ffmpeg or avconv, found on the PATH */
        SYSTEM("system"),
        /** the static x86-64 ffmpeg that comes with a development build, for the demo and the tests */
        BUNDLED("bundled");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    @Override
    public String toString() {
        return path + " (" + origin.label() + ")";
    }
}
