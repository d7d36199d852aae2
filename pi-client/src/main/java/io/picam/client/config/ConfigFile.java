package io.picam.client.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults for every option from {@code client.properties} (keys are option names without dashes:
 * {@code relay=…}, {@code stream=…}, {@code secret-file=…}): {@code $PICAM_CONFIG}, else
 * {@code ~/.config/picam/client.properties}, else {@code /etc/picam/client.properties}. The command line wins.
 */
public final class ConfigFile implements IDefaultValueProvider {

    private Properties properties;

    /** Reads the file only when picocli asks for the first default: while it parses, where a problem is one line. */
    public ConfigFile() {}

    /** The config file in use, if any (the same one the options' defaults come from). */
    public static Optional<Path> locate() {
        String explicit = System.getenv("PICAM_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit));
        }
        Path user = Path.of(System.getProperty("user.home"), ".config", "picam", "client.properties");
        if (Files.exists(user)) {
            return Optional.of(user);
        }
        Path system = Path.of("/etc/picam/client.properties");
        return Files.exists(system) ? Optional.of(system) : Optional.empty();
    }

    private static Properties load(Optional<Path> file) {
        Properties p = new Properties();
        if (file.isEmpty()) {
            return p;
        }
        if (!Files.exists(file.get())) {
            throw new ConfigurationException("config file " + file.get() + " does not exist (PICAM_CONFIG)");
        }
        requirePrivate(file.get(), "config file");
        try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read config file " + file.get() + ": " + e.getMessage());
        }
        return p;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            if (properties == null) {
                properties = load(locate());
            }
            return properties.getProperty(option.longestName().replaceFirst("^--", ""));
        }
        return null;
    }

    /**
     * Secrets must stay away from other users of the Pi, yet the service's group may read them ({@code picam setup}
     * writes them root-owned, mode 0640, group {@code picam}): nothing for others, no writing by the group.
     */
    public static void requirePrivate(Path file, String what) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            List<String> problems = new ArrayList<>();
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                problems.add("readable by other users");
            }
            if (perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                problems.add("writable by other users");
            }
            if (perms.contains(PosixFilePermission.GROUP_WRITE)) {
                problems.add("writable by its group");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(what + " " + file + " is " + String.join(" and ", problems) + " (mode "
                        + PosixFilePermissions.toString(perms)
                        + "); it must not be readable or writable by others nor writable"
                        + " by its group: run  chmod o-rwx,g-w " + file);
            }
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new ConfigurationException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }
}
