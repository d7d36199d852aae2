package io.picam.media.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Ownership checks for files in the shared temp directory, so that a binary planted there by another
 * user is never executed.
 */
final class OwnedFiles {

    private static volatile UserPrincipal currentUser;

    private OwnedFiles() {}

    /**
     * True when the file belongs to the user running this JVM and nobody else may write it. On file
     * systems without POSIX attributes there is nothing to check, so this returns true.
     */
    static boolean isPrivate(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            return true;
        }
        PosixFileAttributes attributes = view.readAttributes();
        Set<PosixFilePermission> permissions = attributes.permissions();
        boolean writableByOthers = permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        return !writableByOthers && attributes.owner().equals(currentUser());
    }

    /** Sets POSIX permissions where supported, else at least marks the file executable. */
    static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(permissions);
        } else if (!path.toFile().setExecutable(true, true)) {
            throw new IOException("cannot make " + path + " executable");
        }
    }

    /**
     * The owner of a file this JVM creates is the current user; asking the file system avoids relying
     * on {@code user.name}, which is unreliable in containers running under a bare uid.
     */
    private static UserPrincipal currentUser() throws IOException {
        UserPrincipal user = currentUser;
        if (user == null) {
            Path probe = Files.createTempFile("picam-owner-", ".probe");
            try {
                user = Files.getOwner(probe);
            } finally {
                Files.deleteIfExists(probe);
            }
            currentUser = user;
        }
        return user;
    }
}
