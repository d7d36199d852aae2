package io.picam.client;

import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.picam.client.config.ConfigurationException;
import io.picam.client.relay.RelayApi;
import io.picam.client.relay.RelayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code picam setup}: creates the stream on the relay (or keeps the one already configured), writes
 * {@code /etc/picam/client.properties} and the secret (both 0600) and a systemd unit, and enables it when
 * run as root. Running it again changes nothing that is already right.
 */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = "Create the stream on the relay, write the config and a systemd service, and enable it.")
public class SetupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", description = "Relay base URL") String relay;
    @Option(names = "--user", defaultValue = "admin", description = "Admin user on the relay (default: ${DEFAULT-VALUE})") String user;
    @Option(names = "--password", description = "Its password (or PICAM_PASSWORD; asked when missing)") String password;
    @Option(names = "--token", description = "A personal access token of an admin instead of --user/--password (or PICAM_TOKEN)") String token;
    @Option(names = "--stream", description = "Use this existing stream (its secret from PICAM_SECRET, or asked) instead of creating one") String stream;
    @Option(names = "--name", description = "Name of the camera (default: this host's name)") String name;
    @Option(names = "--source", defaultValue = "rpicam", description = "rpicam, v4l2 or test") String source;
    @Option(names = "--format", defaultValue = "fmp4", description = "fmp4 or mpegts") String format;
    @Option(names = "--size", defaultValue = "1280x720") String size;
    @Option(names = "--fps", defaultValue = "25") int fps;
    @Option(names = "--bitrate", defaultValue = "2M") String bitrate;
    @Option(names = "--root", defaultValue = "/", description = "Write below this directory instead of / (for tests)") Path root;
    @Option(names = "--service-user", defaultValue = "picam", description = "Non-root user the service runs as") String serviceUser;
    @Option(names = "--jar", description = "The client's quarkus-run.jar (default: this one)") Path jar;

    @Override
    public Integer call() {
        try {
            return setup();
        } catch (ConfigurationException e) {
            spec.commandLine().getErr().println("picam setup: " + e.getMessage());
            return StreamCommand.CONFIGURATION_ERROR;
        }
    }

    private int setup() {
        Console console = System.console();
        relay = ask(relay, "Relay URL (e.g. https://my-relay.herokuapp.com): ", console, false);
        Path etc = root.resolve("etc/picam");
        Path config = etc.resolve("client.properties");
        Path secretFile = etc.resolve("secret");
        Properties existing = load(config);
        String streamId = existing.getProperty("stream");
        boolean reuse = streamId != null && relay.equals(existing.getProperty("relay")) && Files.exists(secretFile)
                && (stream == null || stream.equals(streamId));
        if (stream != null && !reuse) {
            // a stream an admin created on the relay's admin page, which showed its secret
            String secret = ask(System.getenv("PICAM_SECRET"), "Publishing secret of stream " + stream + ": ", console, true);
            streamId = stream;
            write(secretFile, secret.strip() + "\n");
            say("using stream %s on %s", streamId, relay);
        } else if (!reuse) {
            RelayApi api = new RelayApi(URI.create(relay));
            token = token != null ? token : System.getenv("PICAM_TOKEN");
            if (token != null && !token.isBlank()) {
                api.useToken(token);
            } else {
                password = password != null ? password : System.getenv("PICAM_PASSWORD");
                password = ask(password, "Password of " + user + " on the relay: ", console, true);
                api.login(user, password);
            }
            RelayClient.CreatedStream created = api.createStream(name != null ? name : hostname(), format);
            streamId = created.id();
            write(secretFile, created.secret() + "\n");
            say("created stream %s (%s) on %s", created.name(), streamId, relay);
        } else {
            say("keeping stream %s already configured in %s", streamId, config);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("relay", relay);
        settings.put("stream", streamId);
        settings.put("secret-file", Path.of("/").resolve(root.relativize(secretFile)).toString());
        settings.put("source", source);
        settings.put("format", format);
        settings.put("size", size);
        settings.put("fps", String.valueOf(fps));
        settings.put("bitrate", bitrate);
        StringBuilder text = new StringBuilder("# written by picam setup; every `picam stream` option, without dashes\n");
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        write(config, text.toString());
        Path unit = root.resolve("etc/systemd/system/picam.service");
        write(unit, unit(Path.of("/").resolve(root.relativize(config))));
        say("wrote %s, %s and %s", config, secretFile, unit);
        if (root.equals(Path.of("/")) && "root".equals(System.getProperty("user.name"))) {
            enable(secretFile, config);
        } else {
            say("not running as root on /: enable it with  sudo systemctl enable --now picam");
        }
        return 0;
    }

    private String unit(Path config) {
        Path self = jar != null ? jar : currentJar();
        return "[Unit]\n"
                + "Description=picam: stream the camera to the relay\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n\n"
                + "[Service]\n"
                + "User=" + serviceUser + "\n"
                + "SupplementaryGroups=video audio\n"
                + "Environment=PICAM_CONFIG=" + config + "\n"
                + "ExecStart=/usr/bin/java -Xmx64m -jar " + self + " stream\n"
                + "Restart=always\n"
                + "RestartSec=5\n\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    private void enable(Path secretFile, Path config) {
        run("id", "-u", serviceUser).ifFailed(() -> run("useradd", "--system", "--no-create-home", "--groups", "video",
                serviceUser).orFail("cannot create the user " + serviceUser));
        run("chown", serviceUser, secretFile.toString(), config.toString()).orFail("cannot chown the config to " + serviceUser);
        run("systemctl", "daemon-reload").orFail("systemctl daemon-reload failed");
        run("systemctl", "enable", "--now", "picam.service").orFail("systemctl enable --now picam failed");
        say("enabled and started picam.service; follow it with  journalctl -u picam -f");
    }

    private record Result(int exit) {
        void ifFailed(Runnable then) {
            if (exit != 0) {
                then.run();
            }
        }

        void orFail(String message) {
            if (exit != 0) {
                throw new ConfigurationException(message);
            }
        }
    }

    private static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            return new Result(p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1);
        } catch (IOException e) {
            return new Result(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1);
        }
    }

    private static Path currentJar() {
        try {
            Path p = Path.of(SetupCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // quarkus-app/app/picam-client.jar -> quarkus-app/quarkus-run.jar
            Path run = p.getParent() == null ? null : p.getParent().resolveSibling("quarkus-run.jar");
            return run != null && Files.exists(run) ? run : Path.of("/opt/picam/quarkus-run.jar");
        } catch (Exception e) {
            return Path.of("/opt/picam/quarkus-run.jar");
        }
    }

    private static Properties load(Path config) {
        Properties p = new Properties();
        if (Files.exists(config)) {
            try (var reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (IOException e) {
                throw new ConfigurationException("cannot read " + config + ": " + e.getMessage());
            }
        }
        return p;
    }

    /** Writes a file readable by its owner only, from the first byte on. */
    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String ask(String value, String prompt, Console console, boolean secret) {
        if (value != null && !value.isBlank()) {
            return value.trim();
        }
        if (console == null) {
            throw new ConfigurationException("missing " + prompt.replace(": ", "") + " (no terminal to ask on; pass it as an option)");
        }
        String answer = secret ? new String(console.readPassword(prompt)) : console.readLine(prompt);
        if (answer == null || answer.isBlank()) {
            throw new ConfigurationException("nothing entered for " + prompt.replace(": ", ""));
        }
        return answer.trim();
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "raspberrypi";
        }
    }

    private void say(String format, Object... args) {
        spec.commandLine().getOut().printf(format + "%n", args);
    }
}
