package io.picam.client.setup;

import io.picam.client.config.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;

/**
 * Writes what {@code picam setup} writes, as the setup's user (root on a Pi): the config and the secret readable by
 * the service's group and changeable by root alone (0640, group {@code picam}), so that the service can read them
 * and nothing it does can change what {@code sudo picam doctor} runs. Every file is written to a new private
 * temporary file, given its group and mode, then moved over the old one: no moment where it is readable by others,
 * and a file left by an older setup (owned by the service user, or 0644) is replaced, not patched.
 */
public final class ProtectedFiles {

    private final Optional<GroupPrincipal> group;

    /** @param group the service's group, set on the files when there is one (root can give files away) */
    public ProtectedFiles(Optional<GroupPrincipal> group) {
        this.group = group;
    }

    /** The service's group, when this process may give files to it (it runs as root) and the group exists. */
    public static Optional<GroupPrincipal> serviceGroup(boolean asRoot, String name) {
        if (!asRoot) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name));
        } catch (UserPrincipalNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ConfigurationException("cannot look up the group " + name + ": " + e.getMessage());
        }
    }

    /** 0640 with the service's group: the config and the secret. */
    public void writeForService(Path file, String content) {
        write(file, content, "rw-r-----", true);
    }

    /** 0644, root's: the systemd unit. */
    public void writePublic(Path file, String content) {
        write(file, content, "rw-r--r--", false);
    }

    /** The directory of the config and the secret: 0750, group the service's, changeable by root alone. */
    public void serviceDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (group.isPresent()) { // running as root: a directory the service user owned would let it swap the files
                PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
                view.setOwner(
                        FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root"));
                view.setGroup(group.get());
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        } catch (IOException e) {
            throw new ConfigurationException("cannot prepare " + dir + ": " + e.getMessage());
        }
    }

    private void write(Path file, String content, String mode, boolean forService) {
        Path temporary = null;
        try {
            Files.createDirectories(file.getParent());
            temporary = Files.createTempFile(
                    file.getParent(),
                    "." + file.getFileName() + "-",
                    ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            if (forService && group.isPresent()) {
                Files.getFileAttributeView(temporary, PosixFileAttributeView.class)
                        .setGroup(group.get());
            }
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(mode));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot write " + file + ": " + e.getMessage());
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // best effort: it is private to root
                }
            }
        }
    }
}
