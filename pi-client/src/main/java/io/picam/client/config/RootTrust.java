package io.picam.client.config;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Guards {@code sudo picam doctor} (or a {@code picam stream} started as root) against a user other than root
 * steering it: a config file such a user can change (it names the encoder root would run, the secret file root
 * would read and the relay it would be sent to), or an encoder binary such a user can replace. Either would hand
 * that user root or root's files. As any other user, nothing is checked.
 */
public final class RootTrust {

    private final FileStat stat;
    private final int uid;

    public RootTrust(FileStat stat, int uid) {
        this.stat = stat;
        this.uid = uid;
    }

    /** For this process: the real file system and its own uid. */
    public static RootTrust forThisProcess() {
        return new RootTrust(FileStat.system(), (int) new UnixSystem().getUid());
    }

    public boolean asRoot() {
        return uid == 0;
    }

    /**
     * @param config the config file in use, if any
     * @param encoderFromConfig whether the encoder binary was named there (not on the command line): the message says so
     * @param binaries the programs about to run (absolute paths)
     * @throws RootRefusalException when running as root and one of them could be chosen or changed by another user
     */
    public void requireTrustedEncoders(Optional<Path> config, boolean encoderFromConfig, List<Path> binaries) {
        if (!asRoot()) {
            return;
        }
        if (config.isPresent()) {
            String what = encoderFromConfig ? "an encoder named by config file " : "with config file ";
            whyChangeable(config.get()).ifPresent(why -> {
                throw new RootRefusalException("refusing to run as root " + what + config.get() + ": " + why
                        + ", so another user could make root run any program or send any file root can read to any"
                        + " host; make the file and its directories root's and not writable by group or others"
                        + " (chown root: " + config.get() + "; chmod go-w " + config.get() + ")");
            });
        }
        for (Path binary : binaries) {
            whyChangeable(binary).ifPresent(why -> {
                throw new RootRefusalException(
                        "refusing to run encoder " + binary + " as root: " + why
                                + ", so another user could replace it; use one that only root can change (e.g. /usr/bin/ffmpeg)");
            });
        }
    }

    /** The first reason another user could change this file: it, a directory above it, or where its links lead. */
    private Optional<String> whyChangeable(Path file) {
        try {
            Set<Path> chain = new LinkedHashSet<>();
            addWithParents(chain, file.toAbsolutePath().normalize());
            addWithParents(chain, stat.realPath(file));
            for (Path p : chain) {
                List<String> why = stat.of(p).whyNotRootOnly();
                if (!why.isEmpty()) {
                    return Optional.of(p + " is " + String.join(" and ", why));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new RootRefusalException(
                    "refusing to run as root: cannot check who may change " + file + " (" + e + ")");
        }
    }

    private static void addWithParents(Set<Path> chain, Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            chain.add(p);
        }
    }
}
