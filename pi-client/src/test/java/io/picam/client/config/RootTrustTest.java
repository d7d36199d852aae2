package io.picam.client.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RootTrustTest {

    private static final int ROOT = 0;
    private static final int NOBODY = 65534;
    private static final Path CONFIG = Path.of("/etc/picam/client.properties");
    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

    /** A file system where everything is root's, mode 0755 or 0640, until a test says otherwise. */
    private final Map<Path, FileMode> files = new HashMap<>(Map.of(
            Path.of("/"),
            FileMode.directory(ROOT, 0, 0755),
            Path.of("/etc"),
            FileMode.directory(ROOT, 0, 0755),
            Path.of("/etc/picam"),
            FileMode.directory(ROOT, 999, 0750),
            CONFIG,
            FileMode.file(ROOT, 999, 0640),
            Path.of("/usr"),
            FileMode.directory(ROOT, 0, 0755),
            Path.of("/usr/bin"),
            FileMode.directory(ROOT, 0, 0755),
            FFMPEG,
            FileMode.file(ROOT, 0, 0755),
            Path.of("/tmp"),
            FileMode.directory(ROOT, 0, 01777)));

    private final FileStat stat = new FileStat() {
        @Override
        public FileMode of(Path path) throws IOException {
            FileMode mode = files.get(path);
            if (mode == null) {
                throw new NoSuchFileException(path.toString());
            }
            return mode;
        }

        @Override
        public Path realPath(Path path) {
            return path;
        }
    };

    private void check(int uid, boolean encoderFromConfig, Path... binaries) {
        new RootTrust(stat, uid).requireTrustedEncoders(Optional.of(CONFIG), encoderFromConfig, List.of(binaries));
    }

    @Test
    void refusesToRunAsRootWithAnEncoderNamedInAConfigWritableByAnotherUser() {
        files.put(CONFIG, FileMode.file(NOBODY, NOBODY, 0600));
        assertThatThrownBy(() -> check(ROOT, true, FFMPEG))
                .isInstanceOf(RootRefusalException.class)
                .hasMessageContaining("refusing to run as root an encoder named by config file " + CONFIG)
                .hasMessageContaining(CONFIG + " is owned by uid 65534")
                .hasMessageContaining("chown root: " + CONFIG);

        files.put(CONFIG, FileMode.file(ROOT, 999, 0660));
        assertThatThrownBy(() -> check(ROOT, true, FFMPEG)).hasMessageContaining("is writable by its group (gid 999)");

        files.put(CONFIG, FileMode.file(ROOT, 0, 0602));
        assertThatThrownBy(() -> check(ROOT, true, FFMPEG)).hasMessageContaining("is writable by other users");
    }

    @Test
    void aConfigInADirectoryAnotherUserCanWriteIsRefusedToo() {
        files.put(Path.of("/etc/picam"), FileMode.directory(NOBODY, NOBODY, 0755));
        assertThatThrownBy(() -> check(ROOT, true, FFMPEG)).hasMessageContaining("/etc/picam is owned by uid 65534");
    }

    @Test
    void anEncoderBinaryAnotherUserCanChangeIsRefusedWhereverItWasNamed() {
        Path own = Path.of("/tmp/ffmpeg");
        files.put(own, FileMode.file(NOBODY, NOBODY, 0755));
        assertThatThrownBy(() -> check(ROOT, false, own))
                .isInstanceOf(RootRefusalException.class)
                .hasMessageContaining("refusing to run encoder /tmp/ffmpeg as root: /tmp/ffmpeg is owned by uid 65534");

        Path inUserDir = Path.of("/home/pi/bin/ffmpeg");
        files.put(Path.of("/home"), FileMode.directory(ROOT, 0, 0755));
        files.put(Path.of("/home/pi"), FileMode.directory(1000, 1000, 0755));
        files.put(Path.of("/home/pi/bin"), FileMode.directory(ROOT, 0, 0755));
        files.put(inUserDir, FileMode.file(ROOT, 0, 0755));
        assertThatThrownBy(() -> check(ROOT, false, inUserDir)).hasMessageContaining("/home/pi is owned by uid 1000");
    }

    @Test
    void rootRunsWhatOnlyRootCanChange() {
        Path bundled = Path.of("/tmp/picam-ffmpeg-1/ffmpeg"); // a private directory in the sticky /tmp
        files.put(bundled.getParent(), FileMode.directory(ROOT, 0, 0700));
        files.put(bundled, FileMode.file(ROOT, 0, 0700));
        assertThatCode(() -> check(ROOT, true, FFMPEG, bundled)).doesNotThrowAnyException();
    }

    @Test
    void anUntrustedConfigIsRefusedEvenWhenTheEncoderCameFromTheCommandLine() {
        // it still names the secret file root would read and the relay root would send it to
        files.put(CONFIG, FileMode.file(NOBODY, NOBODY, 0666));
        assertThatThrownBy(() -> check(ROOT, false, FFMPEG))
                .isInstanceOf(RootRefusalException.class)
                .hasMessageContaining("refusing to run as root with config file " + CONFIG)
                .hasMessageContaining("send any file root can read");
    }

    @Test
    void otherUsersAreNotChecked() {
        files.put(CONFIG, FileMode.file(NOBODY, NOBODY, 0666));
        files.put(FFMPEG, FileMode.file(NOBODY, NOBODY, 0777));
        assertThatCode(() -> check(1000, true, FFMPEG)).doesNotThrowAnyException();
    }

    @Test
    void onTheRealFileSystemAConfigOfAnotherUserIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("picam-trust");
        Path config = Files.writeString(dir.resolve("client.properties"), "encoder-binary=/usr/bin/ffmpeg\n");
        Path encoder = Files.writeString(dir.resolve("ffmpeg"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(encoder, PosixFilePermissions.fromString("rwx------"));
        RootTrust realAsRoot = new RootTrust(FileStat.system(), ROOT);
        if (RootTrust.forThisProcess().asRoot()) {
            // root's own files in root's own private directory pass
            assertThatCode(() -> realAsRoot.requireTrustedEncoders(Optional.of(config), true, List.of(encoder)))
                    .doesNotThrowAnyException();
            Files.setAttribute(config, "unix:uid", NOBODY);
            Files.setAttribute(encoder, "unix:uid", NOBODY);
        } // as any other user, the files are that user's already
        assertThatThrownBy(() -> realAsRoot.requireTrustedEncoders(Optional.of(config), true, List.of(encoder)))
                .isInstanceOf(RootRefusalException.class)
                .hasMessageContaining(config + " is owned by uid");
        assertThatThrownBy(() -> realAsRoot.requireTrustedEncoders(Optional.empty(), false, List.of(encoder)))
                .hasMessageContaining(
                        "refusing to run encoder " + encoder + " as root: " + encoder + " is owned by uid");
    }
}
