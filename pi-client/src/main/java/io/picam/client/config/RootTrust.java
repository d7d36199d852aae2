package io.picam.client.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Guards {@code sudo picam doctor} (or a {@code picam stream} started as root) against running a program that a
 * user other than root chose or can replace: the encoder named by a config file such a user can change, or an
 * encoder binary such a user can change. Either would hand that user root. As any other user, nothing is checked.
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
        return new RootTrust(FileStat.system(), (int) new com.sun.security.auth.module.UnixSystem().getUid());
    }

    public boolean asRoot() {
        return uid == 0;
    }

    /**
     * @param config the config file in use, if any
     * @param encoderFromConfig whether the encoder binary was named there (not on the command line)
     * @param binaries the programs about to run (absolute paths)
     * @throws RootRefusalException when running as root and one of them could be chosen or changed by another user
     */
    public void requireTrustedEncoders(Optional<Path> config, boolean encoderFromConfig, List<Path> binaries) {
        if (!asRoot()) {
            return;
        }
        if (encoderFromConfig && config.isPresent()) {
            whyChangeable(config.get()).ifPresent(why -> {
                throw new RootRefusalException("refusing to run as root an encoder named by config file " + config.get()
                        + ": " + why + ", so another user could make root run any program; make the file and its"
                        + " directories root's and not writable by group or others (chown root: " + config.get()
                        + "; chmod go-w " + config.get() + "), or give --encoder-binary on the command line");
            });
        }
        for (Path binary : binaries) {
            whyChangeable(binary).ifPresent(why -> {
                throw new RootRefusalException("refusing to run encoder " + binary + " as root: " + why
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
            throw new RootRefusalException("refusing to run as root: cannot check who may change " + file + " (" + e + ")");
        }
    }

    private static void addWithParents(Set<Path> chain, Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            chain.add(p);
        }
    }
}
