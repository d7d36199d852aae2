package io.picam.client;

import io.picam.client.config.ConfigurationException;
import io.picam.client.config.RootTrust;
import io.picam.client.config.StreamId;
import io.picam.client.config.Text;
import io.picam.client.relay.RelayApi;
import io.picam.client.setup.ConfigText;
import io.picam.client.setup.HostCommand;
import io.picam.client.setup.Prompt;
import io.picam.client.setup.ProtectedFiles;
import io.picam.client.setup.ServiceUnit;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code picam setup}: creates the stream on the relay (or keeps the one already configured), writes
 * {@code /etc/picam/client.properties} and the secret (root's, mode 0640, group of the service user: the service
 * reads them but cannot change what root's {@code picam doctor} runs) and a hardened systemd unit, and enables it
 * when run as root. Running it again keeps the stream and puts owners and modes right.
 */
@Command(
        name = "setup",
        mixinStandardHelpOptions = true,
        description = "Create the stream on the relay, write the config and a systemd service, and enable it.")
public class SetupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", description = "Relay base URL")
    String relay;

    @Option(
            names = "--user",
            defaultValue = "admin",
            description = "Admin user on the relay (default: ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--password", description = "Its password (or PICAM_PASSWORD; asked when missing)")
    String password;

    @Option(
            names = "--token",
            description = "A personal access token of an admin instead of --user/--password (or PICAM_TOKEN)")
    String token;

    @Option(
            names = "--stream",
            description = "Use this existing stream (its secret from PICAM_SECRET, or asked) instead of creating one")
    String stream;

    @Option(names = "--name", description = "Name of the camera (default: this host's name)")
    String name;

    @Option(names = "--source", defaultValue = "rpicam", description = "rpicam, v4l2 or test")
    String source;

    @Option(names = "--format", defaultValue = "fmp4", description = "fmp4 or mpegts")
    String format;

    @Option(names = "--size", defaultValue = "1280x720")
    String size;

    @Option(names = "--fps", defaultValue = "25")
    int fps;

    @Option(names = "--bitrate", defaultValue = "2M")
    String bitrate;

    @Option(names = "--root", defaultValue = "/", description = "Write below this directory instead of / (for tests)")
    Path root;

    @Option(names = "--service-user", defaultValue = "picam", description = "Non-root user the service runs as")
    String serviceUser;

    @Option(names = "--jar", description = "The client's quarkus-run.jar (default: this one)")
    Path jar;

    @Option(
            names = "--java",
            defaultValue = "/usr/bin/java",
            description = "The java the service runs (default: ${DEFAULT-VALUE})")
    Path javaBinary;

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
            return ExitCode.CONFIGURATION;
        }
    }

    private int setup() {
        Prompt prompt = new Prompt(System.console());
        relay = relayUrl(
                prompt.ask(relay, "Relay URL (e.g. https://my-relay.herokuapp.com)", false, "give --relay URL"));
        Path etc = root.resolve("etc/picam");
        Path config = etc.resolve("client.properties");
        Path secretFile = etc.resolve("secret");
        Path unitFile = root.resolve("etc/systemd/system/picam.service");
        ServiceUnit unit = new ServiceUnit(
                serviceUser,
                serviceUser,
                List.of("video", "audio"),
                javaBinary,
                jar != null ? jar : currentJar(),
                onTarget(config)); // checks the names before anything is done
        boolean system = root.equals(Path.of("/")) && rootTrust.asRoot();
        Properties existing = load(config);
        String configured = existing.getProperty("stream");
        boolean reuse = configured != null
                && relay.equals(existing.getProperty("relay"))
                && Files.exists(secretFile)
                && (stream == null || stream.equals(configured));
        // everything is checked with the relay before anything is written here (or the service user created)
        StreamId streamId;
        String secret;
        if (stream != null && !reuse) {
            // a stream an admin created on the relay's admin page, which showed its secret
            streamId = StreamId.of(stream, "--stream");
            secret = checkedSecret(prompt.ask(
                    System.getenv("PICAM_SECRET"),
                    "Publishing secret of stream " + stream,
                    true,
                    "set PICAM_SECRET to the secret the relay's admin page showed"));
            acceptedByRelay(streamId, secret);
            say("the relay accepts the secret of stream %s on %s", streamId, relay);
        } else if (!reuse) {
            RelayApi.CreatedStream created = createStream(prompt);
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
        if (system) {
            serviceAccount(); // before the files: they get its group
        }
        ProtectedFiles files = new ProtectedFiles(ProtectedFiles.serviceGroup(rootTrust.asRoot(), serviceUser));
        files.serviceDirectory(etc);
        files.writeForService(secretFile, secretText);
        say("wrote %s (the stream's secret; mode 0640)", secretFile);
        files.writeForService(config, configText);
        say("wrote %s (relay, stream, camera; mode 0640)", config);
        files.writePublic(unitFile, unit.text());
        say("wrote %s (the systemd service; mode 0644)", unitFile);
        if (system) {
            HostCommand.run("systemctl", "daemon-reload").orFail("systemctl daemon-reload failed");
            HostCommand.run("systemctl", "enable", "--now", "picam.service")
                    .orFail("systemctl enable --now picam failed");
            say("enabled and started picam.service; follow it with  journalctl -u picam -f");
        } else {
            say("not running as root on /: enable it with  sudo systemctl enable --now picam");
        }
        return ExitCode.OK;
    }

    /** The doctor's check: an empty authenticated upload, which the relay answers 200, or 401 for a wrong secret. */
    private void acceptedByRelay(StreamId streamId, String secret) {
        String contentType = "mpegts".equals(format) ? "video/mp2t" : "video/mp4";
        new RelayApi(URI.create(relay))
                .checkSecret(streamId.value(), secret, contentType)
                .ifPresent(problem -> {
                    throw new ConfigurationException("stream " + streamId + ": " + problem + "; nothing written");
                });
    }

    private static String relayUrl(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // said below
        }
        throw new ConfigurationException("--relay must be an http:// or https:// URL (got " + value + ")");
    }

    private RelayApi.CreatedStream createStream(Prompt prompt) {
        String cameraName = name != null ? name : hostname();
        if (Text.hasControlCharacters(cameraName)) {
            throw new ConfigurationException(
                    "--name must be one line of text (got " + Text.printable(cameraName) + ")");
        }
        RelayApi api = new RelayApi(URI.create(relay));
        token = token != null ? token : System.getenv("PICAM_TOKEN");
        if (token != null && !token.isBlank()) {
            api.useToken(token);
        } else {
            password = password != null ? password : System.getenv("PICAM_PASSWORD");
            password = prompt.ask(
                    password,
                    "Password of " + user + " on the relay",
                    true,
                    "give --password or set" + " PICAM_PASSWORD, or use an admin's token with --token or PICAM_TOKEN");
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
        if (HostCommand.run("id", "-u", serviceUser).failed()) {
            HostCommand.run(
                            "useradd",
                            "--system",
                            "--user-group",
                            "--no-create-home",
                            "--home-dir",
                            "/nonexistent",
                            "--shell",
                            "/usr/sbin/nologin",
                            "--groups",
                            "video",
                            serviceUser)
                    .orFail("cannot create the user " + serviceUser);
            say("created the system user %s", serviceUser);
        }
        if (ProtectedFiles.serviceGroup(true, serviceUser).isEmpty()) {
            // a user made without a group of its own (by hand, or an older setup)
            HostCommand.run("groupadd", "--system", serviceUser).orFail("cannot create the group " + serviceUser);
            HostCommand.run("usermod", "--gid", serviceUser, serviceUser)
                    .orFail("cannot give " + serviceUser + " its group");
            say("created the group %s and made it %s's", serviceUser, serviceUser);
        }
    }

    private static Path currentJar() {
        try {
            Path p = Path.of(SetupCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
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

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "raspberrypi";
        }
    }

    private void say(String format, Object... args) {
        spec.commandLine().getOut().printf(format + "%n", args);
    }
}
