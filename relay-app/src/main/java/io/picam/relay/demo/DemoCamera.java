package io.picam.relay.demo;

import io.picam.media.ffmpeg.FfmpegLocator;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.retry.Backoff;
import io.picam.relay.stream.CameraStream;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.stream.StreamSecrets;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Demo streams for trying picam without a Pi ({@code picam.demo.enabled}): {@code demo} (MPEG-1) and
 * {@code demo-h264} (H.264), each with a fresh secret on every start. With {@code picam.demo.publisher=relay} a
 * test-pattern camera inside the relay publishes {@code demo} through the real ingest path, exactly as a Pi would
 * (ffmpeg POSTs MPEG-1 in MPEG-TS to {@code /ingest/demo}), and is restarted if it dies; with {@code client} the
 * secrets are written to the data directory and {@code picam stream --source test} clients publish both.
 */
@ApplicationScoped
public class DemoCamera {

    public static final String STREAM_ID = "demo";
    public static final String H264_STREAM_ID = "demo-h264";
    /** What a newcomer reads in the camera list: what the camera shows and where it plays, in plain words. */
    public static final String NAME = "Test pattern (any browser)";

    public static final String H264_NAME = "Test pattern (H.264)";
    /** The names earlier versions gave the demo streams; a stream still called so is renamed on start. */
    private static final List<String> OLD_NAMES = List.of("Demo camera (MPEG-1, jsmpeg)", "Demo camera (H.264, MSE)");

    private static final Logger LOG = Logger.getLogger(DemoCamera.class);

    private final RelayConfig config;
    private volatile boolean running;
    private volatile Process ffmpeg;

    public DemoCamera(RelayConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        String secret = prepareStream(STREAM_ID, NAME, StreamFormat.MPEGTS);
        // an H.264 stream for a real client: ./demo.sh runs `picam stream --source test` with this secret
        writeSecret(H264_STREAM_ID, prepareStream(H264_STREAM_ID, H264_NAME, StreamFormat.FMP4));
        if (config.demo().publisher() == RelayConfig.DemoPublisher.CLIENT) {
            writeSecret(STREAM_ID, secret); // a client publishes the MPEG-1 stream too
            LOG.infof(
                    "Demo streams %s and %s wait for picam clients (secrets in the data directory)",
                    STREAM_ID, H264_STREAM_ID);
            return;
        }
        running = true;
        Thread supervisor = new Thread(() -> supervise(secret), "picam-demo-camera");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    /** Creates a demo stream on first use (or renames one still under its old jargon name), and gives it a fresh secret. */
    @Transactional
    String prepareStream(String id, String name, StreamFormat format) {
        String secret = StreamSecrets.newSecret();
        CameraStream stream = CameraStream.findById(id);
        boolean created = stream == null;
        if (created) {
            stream = new CameraStream();
            stream.id = id;
            stream.name = name;
            stream.format = format;
            stream.createdAt = Instant.now();
        } else if (OLD_NAMES.contains(stream.name)) {
            stream.name = name; // an admin's own name for it stays
        }
        stream.secretHash = StreamSecrets.hash(secret);
        stream.secretRotatedAt = Instant.now();
        if (created) {
            stream.persist();
        }
        return secret;
    }

    private void supervise(String secret) {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        while (running && !relayListening()) {
            sleep(100); // StartupEvent comes before the HTTP server listens
        }
        while (running) {
            long started = System.nanoTime();
            try {
                ffmpeg = new ProcessBuilder(command(secret))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                LOG.infof("Demo camera publishing a test pattern to /streams/%s", STREAM_ID);
                int exit = ffmpeg.waitFor();
                if (running) {
                    LOG.infof("Demo camera's ffmpeg exited with %d; restarting", exit);
                }
            } catch (IOException | IllegalStateException e) {
                LOG.warnf("Demo camera cannot run ffmpeg: %s", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(30)) {
                backoff.reset(); // it ran fine for a while: this is a fresh failure
            }
            sleep(backoff.next().toMillis());
        }
    }

    private List<String> command(String secret) {
        // The static ffmpeg cannot resolve host names, hence 127.0.0.1.
        String url = "http://127.0.0.1:" + port() + "/ingest/" + STREAM_ID;
        return List.of(
                FfmpegLocator.locate().toString(),
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-re",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=640x360:rate=25",
                "-c:v",
                "mpeg1video",
                "-b:v",
                "1M",
                "-bf",
                "0",
                "-g",
                "25",
                "-f",
                "mpegts",
                "-method",
                "POST",
                "-content_type",
                "video/mp2t",
                "-headers",
                "Authorization: Bearer " + secret + "\r\n",
                url);
    }

    private static int port() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getValue(key, Integer.class);
    }

    /** {@code <data dir>/<stream>.secret}, readable by this user only, for the demo's Pi client. */
    private static void writeSecret(String streamId, String secret) {
        Path file = Path.of(Optional.ofNullable(System.getenv("PICAM_DATA_DIR"))
                        .filter(d -> !d.isBlank())
                        .orElse("data"))
                .resolve(streamId + ".secret");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n");
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("Cannot write the demo secret to %s: %s", file, e.getMessage());
        }
    }

    private static boolean relayListening() {
        int port = port();
        if (port <= 0) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        Process process = ffmpeg;
        if (process != null) {
            process.destroy();
        }
    }
}
