package io.picam.client;

import io.picam.client.config.ConfigFile;
import io.picam.client.config.ConfigurationException;
import io.picam.client.config.RootTrust;
import io.picam.client.config.StreamId;
import io.picam.client.encoder.EncoderBinary;
import io.picam.client.encoder.EncoderPipeline;
import io.picam.client.encoder.EncoderRunner;
import io.picam.client.encoder.EncoderSearch;
import io.picam.client.encoder.EncoderSettings;
import io.picam.client.encoder.Source;
import io.picam.client.upload.StatusLine;
import io.picam.client.upload.Streamer;
import io.picam.media.ContainerFramer;
import io.picam.media.fmp4.Fmp4Framer;
import io.picam.media.ts.TsFramer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code picam stream}: the camera to the relay, for as long as the Pi runs. */
@Command(
        name = "stream",
        description = "Stream the camera to the relay, reconnecting as needed.",
        defaultValueProvider = ConfigFile.class,
        mixinStandardHelpOptions = true)
public class StreamCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(StreamCommand.class);
    private static final Pattern SIZE = Pattern.compile("(\\d{2,5})x(\\d{2,5})");
    private static final long STATUS_EVERY = TimeUnit.MINUTES.toNanos(1);
    private static final long ENCODER_SILENCE = TimeUnit.SECONDS.toNanos(15);

    @Spec
    CommandSpec spec;

    private final RootTrust rootTrust;

    @Option(names = "--relay", description = "Relay base URL, e.g. https://my-relay.herokuapp.com")
    String relay;

    @Option(names = "--stream", description = "Stream id (from the relay's admin API or page)")
    String stream;

    @Option(
            names = "--secret-file",
            description =
                    "File holding the stream secret (no access for others, e.g. 0600 or 0640); or set PICAM_SECRET")
    Path secretFile;

    @Option(
            names = "--source",
            defaultValue = "rpicam",
            description = "rpicam, v4l2 or test (default: ${DEFAULT-VALUE})")
    String source;

    @Option(names = "--device", defaultValue = "/dev/video0", description = "V4L2 device (default: ${DEFAULT-VALUE})")
    String device;

    @Option(
            names = "--format",
            defaultValue = "fmp4",
            description = "fmp4 (H.264, MSE) or mpegts (MPEG-1, jsmpeg) (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--size", defaultValue = "1280x720", description = "Picture size (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--fps", defaultValue = "25", description = "Frames per second (default: ${DEFAULT-VALUE})")
    int fps;

    @Option(names = "--bitrate", defaultValue = "2M", description = "Video bitrate (default: ${DEFAULT-VALUE})")
    String bitrate;

    @Option(names = "--audio", description = "ALSA capture device, e.g. hw:1,0 (default: no audio)")
    String audio;

    @Option(names = "--encoder-binary", description = "ffmpeg or avconv (default: the one on the PATH)")
    String encoderBinary;

    @Option(names = "--flip", description = "Rotate the picture by 180 degrees")
    boolean flip;

    @Option(names = "--dry-run", description = "Print the encoder command lines and exit")
    boolean dryRun;

    @Option(
            names = {"-q", "--quiet"},
            description = "Log warnings and errors only (no start, status or state lines)")
    boolean quiet;

    @Option(
            names = {"-v", "--verbose"},
            description = "Log debugging detail as well")
    boolean verbose;

    /** The encoder {@link #settings} chose, and where it came from (for the start line and doctor). */
    EncoderBinary encoder;

    @Inject
    public StreamCommand(RootTrust rootTrust) {
        this.rootTrust = rootTrust;
    }

    @Override
    public Integer call() throws Exception {
        EncoderSettings settings;
        URI ingest;
        String secret;
        try {
            Verbosity.apply(quiet, verbose);
            settings = settings();
            List<List<String>> commands = EncoderPipeline.commands(settings);
            if (dryRun) {
                commands.forEach(c -> spec.commandLine().getOut().println(String.join(" ", c)));
                return 0;
            }
            ingest = ingestUri();
            secret = secret();
        } catch (ConfigurationException e) {
            spec.commandLine().getErr().println("picam stream: " + e.getMessage());
            return ExitCode.CONFIGURATION;
        }
        run(settings, ingest, secret);
        return ExitCode.OK;
    }

    private void run(EncoderSettings settings, URI ingest, String secret) throws InterruptedException {
        LOG.infof(
                "Streaming to %s: stream %s, %s %dx%d at %d fps %s from %s, encoder %s",
                relayBase(), stream, format, settings.width(), settings.height(), fps, bitrate, source, encoder);
        Streamer streamer = new Streamer(ingest, readinessUri(), secret, settings.contentType());
        EncoderRunner encoder = new EncoderRunner(
                EncoderPipeline.commands(settings),
                () -> settings.fmp4() ? (ContainerFramer) new Fmp4Framer() : new TsFramer(),
                streamer::accept,
                streamer::encoderRestarted);
        Thread encoderThread = new Thread(encoder::run, "encoder");
        Thread uploadThread = new Thread(streamer::run, "upload");
        StatusLine status = new StatusLine(System.nanoTime());
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            streamer.stop();
                            encoder.stop();
                        },
                        "picam-stop"));
        encoderThread.start();
        uploadThread.start();
        // this thread watches the encoder and writes the status line: no timer thread of its own
        long nextStatus = System.nanoTime() + STATUS_EVERY;
        while (uploadThread.isAlive()) {
            uploadThread.join(1000);
            if (encoder.silentNanos() > ENCODER_SILENCE) {
                encoder.restart(); // alive but silent (a stuck camera): kill it, the runner starts it again
            }
            long now = System.nanoTime();
            if (now - nextStatus >= 0) {
                LOG.info(status.next(streamer.stats(), now));
                nextStatus += STATUS_EVERY;
            }
        }
    }

    EncoderSettings settings() {
        Source src = switch (source) {
            case "rpicam" -> Source.RPICAM;
            case "v4l2" -> Source.V4L2;
            case "test" -> Source.TEST;
            default -> throw new ConfigurationException("--source must be rpicam, v4l2 or test (got " + source + ")");
        };
        if (!format.equals("fmp4") && !format.equals("mpegts")) {
            throw new ConfigurationException("--format must be fmp4 or mpegts (got " + format + ")");
        }
        var m = SIZE.matcher(size);
        if (!m.matches()) {
            throw new ConfigurationException("--size must look like 1280x720 (got " + size + ")");
        }
        if (fps < 1 || fps > 120) {
            throw new ConfigurationException("--fps must be between 1 and 120 (got " + fps + ")");
        }
        if (!bitrate.matches("\\d+(\\.\\d+)?[kKmM]?")) {
            throw new ConfigurationException("--bitrate must look like 2M or 800k (got " + bitrate + ")");
        }
        EncoderSearch search = EncoderSearch.forThisProcess();
        encoder = encoderBinary != null ? search.named(encoderBinary) : search.ffmpeg();
        String rpicam = src == Source.RPICAM ? rpicam(search) : "rpicam-vid";
        rootTrust.requireTrustedEncoders(
                ConfigFile.locate(),
                encoderFromConfig(),
                src == Source.RPICAM ? List.of(encoder.path(), Path.of(rpicam)) : List.of(encoder.path()));
        if (src == Source.V4L2 && !dryRun && !Files.exists(Path.of(device))) {
            throw new ConfigurationException("no camera at " + device + " (--device)");
        }
        return new EncoderSettings(
                src,
                format,
                device,
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                fps,
                bitrate,
                Optional.ofNullable(audio).filter(a -> !a.isBlank()),
                encoder.path().toString(),
                rpicam,
                flip);
    }

    /** Whether --encoder-binary came from the config file rather than the command line. */
    private boolean encoderFromConfig() {
        if (encoderBinary == null) {
            return false;
        }
        var parsed = spec.commandLine().getParseResult();
        return parsed == null || !parsed.hasMatchedOption("--encoder-binary");
    }

    private static String rpicam(EncoderSearch search) {
        return search.onPath("rpicam-vid")
                .or(() -> search.onPath("libcamera-vid"))
                .map(Path::toString)
                .orElseThrow(
                        () -> new ConfigurationException(
                                "no rpicam-vid or libcamera-vid on the PATH: sudo apt install rpicam-apps (or use --source v4l2)"));
    }

    /** The relay's base URL, checked. */
    URI relayBase() {
        if (relay == null || relay.isBlank()) {
            throw new ConfigurationException("--relay is required (e.g. https://my-relay.herokuapp.com)"
                    + (ConfigFile.locate().isEmpty() ? "; there is no config file: run  sudo picam setup  first" : ""));
        }
        URI base;
        try {
            base = URI.create(relay.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--relay is not a URL: " + relay);
        }
        if (base.getHost() == null || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
            throw new ConfigurationException("--relay must be an http:// or https:// URL (got " + relay + ")");
        }
        return base;
    }

    URI ingestUri() {
        URI base = relayBase();
        try {
            new StreamId(stream);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(
                    "--stream must be the stream id the relay gave (letters, digits, - and _)");
        }
        return at(base, "/ingest/" + stream);
    }

    /** The relay's readiness check, which the upload asks while it waits to reconnect. */
    URI readinessUri() {
        return at(relayBase(), "/q/health/ready");
    }

    /** A path under the relay's address, which may itself have a path (a relay behind a proxy's prefix). */
    private static URI at(URI base, String path) {
        String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        return base.resolve(prefix + path);
    }

    String secret() {
        String fromEnv = System.getenv("PICAM_SECRET");
        if (secretFile == null) {
            if (fromEnv != null && !fromEnv.isBlank()) {
                return fromEnv.trim();
            }
            throw new ConfigurationException("no secret: give --secret-file FILE (e.g. mode 0600) or set PICAM_SECRET");
        }
        if (!Files.isRegularFile(secretFile)) {
            throw new ConfigurationException("secret file " + secretFile + " does not exist");
        }
        ConfigFile.requirePrivate(secretFile, "secret file");
        try {
            String secret = Files.readString(secretFile, StandardCharsets.UTF_8).trim();
            if (secret.isEmpty()) {
                throw new ConfigurationException("secret file " + secretFile + " is empty");
            }
            return secret;
        } catch (IOException e) {
            throw new ConfigurationException("cannot read secret file " + secretFile + ": " + e.getMessage());
        }
    }
}
