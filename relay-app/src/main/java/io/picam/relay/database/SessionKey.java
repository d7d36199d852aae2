package io.picam.relay.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that encrypts login cookies. Without one configured, a random key is made once and kept in
 * {@code <data dir>/session.key} (mode 0600), so logins survive a restart of a self-hosted relay.
 * Deployments with several instances or an ephemeral disk (Heroku) must configure it.
 */
public final class SessionKey {

    private SessionKey() {}

    public static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("session.key");
        try {
            if (Files.exists(file)) {
                String key = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (key.length() >= 32) {
                    return key;
                }
            }
            Files.createDirectories(dataDir);
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file system's own ACLs apply
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or write the session key " + file, e);
        }
    }
}
