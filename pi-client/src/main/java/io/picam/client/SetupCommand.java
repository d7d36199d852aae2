package io.picam.client;

import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.picam.client.config.ConfigurationException;
import io.picam.client.config.RootTrust;
import io.picam.client.config.StreamId;
import io.picam.client.config.Text;
import io.picam.client.relay.RelayApi;
import io.picam.client.relay.RelayClient;
import io.picam.client.setup.ConfigText;
import io.picam.client.setup.ProtectedFiles;
import io.picam.client.setup.ServiceUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code picam setup}: creates the stream on the relay (or keeps the one already configured), writes
 * {@code /etc/picam/client.properties} and the secret (root's, mode 0640, group of the service user: the service
 * reads them but cannot change what root's {@code picam doctor} runs) and a hardened systemd unit, and enables it
 * when run as root. Running it again keeps the stream and puts owners and modes right.
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
    @Option(names = "--java", defaultValue = "/usr/bin/java", description = "The java the service runs (default: ${DEFAULT-VALUE})") Path javaBinary;

    private final RootTrust rootTrust;

    @Inject
    public SetupCommand(RootTrust rootTrust) {
        this.rootTrust = rootTrust;
    }

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
        Path unitFile = root.resolve("etc/systemd/system/picam.service");
        ServiceUnit unit = new ServiceUnit(serviceUser, serviceUser, List.of("video", "audio"), javaBinary,
                jar != null ? jar : currentJar(), onTarget(config)); // checks the names before anything is done
        boolean system = root.equals(Path.of("/")) && rootTrust.asRoot();
        if (system) {
            serviceAccount(); // first: the files below get its group
        }
        Properties existing = load(config);
        String configured = existing.getProperty("stream");
        boolean reuse = configured != null && relay.equals(existing.getProperty("relay")) && Files.exists(secretFile)
                && (stream == null || stream.equals(configured));
        StreamId streamId;
        String secret;
        if (stream != null && !reuse) {
            // a stream an admin created on the relay's admin page, which showed its secret
            streamId = StreamId.of(stream, "--stream");
            secret = ask(System.getenv("PICAM_SECRET"), "Publishing secret of stream " + stream + ": ", console, true);
            say("using stream %s on %s", streamId, relay);
        } else if (!reuse) {
            RelayClient.CreatedStream created = createStream(console);
            streamId = StreamId.of(created.id(), "the id the relay answered");
            secret = created.secret();
            say("created stream %s (%s) on %s", Text.oneLine(created.name()), streamId, relay);
        } else {
            streamId = StreamId.of(configured, "stream in " + config);
            secret = read(secretFile); // written again below, with today's owner and mode
            say("keeping stream %s already configured in %s", streamId, config);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("relay", relay);
        settings.put("stream", streamId.value());
        settings.put("secret-file", onTarget(secretFile).toString());
        settings.put("source", source);
        settings.put("format", format);
        settings.put("size", size);
        settings.put("fps", String.valueOf(fps));
        settings.put("bitrate", bitrate);
        String configText = ConfigText.of(settings);
        String secretText = checkedSecret(secret) + "\n";
        ProtectedFiles files = new ProtectedFiles(ProtectedFiles.serviceGroup(rootTrust.asRoot(), serviceUser));
        files.serviceDirectory(etc);
        files.writeForService(secretFile, secretText);
        files.writeForService(config, configText);
        files.writePublic(unitFile, unit.text());
        say("wrote %s, %s and %s", config, secretFile, unitFile);
        if (system) {
            run("systemctl", "daemon-reload").orFail("systemctl daemon-reload failed");
            run("systemctl", "enable", "--now", "picam.service").orFail("systemctl enable --now picam failed");
            say("enabled and started picam.service; follow it with  journalctl -u picam -f");
        } else {
            say("not running as root on /: enable it with  sudo systemctl enable --now picam");
        }
        return 0;
    }

    private RelayClient.CreatedStream createStream(Console console) {
        String cameraName = name != null ? name : hostname();
        if (Text.hasControlCharacters(cameraName)) {
            throw new ConfigurationException("--name must be one line of text (got " + Text.printable(cameraName) + ")");
        }
        RelayApi api = new RelayApi(URI.create(relay));
        token = token != null ? token : System.getenv("PICAM_TOKEN");
        if (token != null && !token.isBlank()) {
            api.useToken(token);
        } else {
            password = password != null ? password : System.getenv("PICAM_PASSWORD");
            password = ask(password, "Password of " + user + " on the relay: ", console, true);
            api.login(user, password);
        }
        return api.createStream(cameraName, format);
    }

    /** A secret travels in an HTTP header: visible ASCII only, so it cannot end the header or the file's line. */
    private static String checkedSecret(String secret) {
        if (secret == null || !secret.strip().matches("[\\x21-\\x7E]+")) {
            throw new ConfigurationException("the stream secret must be one word of visible ASCII characters");
        }
        return secret.strip();
    }

    /** Where a file below --root will be on the Pi itself. */
    private Path onTarget(Path file) {
        return Path.of("/").resolve(root.relativize(file));
    }

    /** The service's own user and group, which may only read what setup writes. */
    private void serviceAccount() {
        run("id", "-u", serviceUser).ifFailed(() -> run("useradd", "--system", "--user-group", "--no-create-home",
                "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "--groups", "video", serviceUser)
                .orFail("cannot create the user " + serviceUser));
        if (ProtectedFiles.serviceGroup(true, serviceUser).isEmpty()) {
            // a user made without a group of its own (by hand, or an older setup)
            run("groupadd", "--system", serviceUser).orFail("cannot create the group " + serviceUser);
            run("usermod", "--gid", serviceUser, serviceUser).orFail("cannot give " + serviceUser + " its group");
        }
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

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read " + file + ": " + e.getMessage());
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
