package io.picam.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The reconnect storm of a dyno restart: N viewers watching, all dropped at once, each reconnecting at a random
 * moment within the spread (as players do after a restart); measured are the time from the drop until the last one
 * receives media again, and the database transactions the relay made meanwhile (PostgreSQL's own count for the
 * relay's database, {@code pg_stat_database}), against the same span with the viewers just watching.
 *
 * <pre>
 * options: --viewers 1000  --bitrate 2M  --spread 2 (seconds)  --gop 25
 *          --relay-jar relay-app/target/quarkus-app/quarkus-run.jar  --jvm-opts (default: the Procfile's)
 *          --out docs/BENCHMARKS.md (appends a Markdown table)
 * </pre>
 */
public final class StormBenchmark {

    /** Time for PostgreSQL's statistics to include every finished transaction (an idle backend reports within 10 s). */
    private static final long STATS_SETTLE_MILLIS = 12_000;

    private StormBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of(
                "viewers",
                "1000",
                "bitrate",
                "2M",
                "spread",
                "2",
                "gop",
                "25",
                "relay-jar",
                "relay-app/target/quarkus-app/quarkus-run.jar",
                "jvm-opts",
                FanoutBenchmark.procfileJvmOptions()));
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        int viewers = Integer.parseInt(o.get("viewers"));
        long bitrate = FanoutBenchmark.bits(o.get("bitrate"));
        long spreadMillis = (long) (Double.parseDouble(o.get("spread")) * 1000);
        byte[] clip = FanoutBenchmark.clip(bitrate, Integer.parseInt(o.get("gop")));
        String row;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("CREATE DATABASE storm");
            }
            String url = "postgres://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/storm";
            Vertx clients = Vertx.vertx();
            try (PicamRelay relay = new PicamRelay(
                    Path.of(o.get("relay-jar")),
                    o.get("jvm-opts"),
                    Bench.freePort(),
                    Map.of("DATABASE_URL", url),
                    UUID.randomUUID().toString(),
                    null)) {
                Publisher publisher = new Publisher(clients, clip, bitrate, new WriteLog(3600 * 60));
                publisher.start(relay);
                Fleet fleet = new Fleet(clients, relay, viewers);
                fleet.connectAll(0);
                double firstMillis = fleet.awaitAllReceiving(60);
                System.out.printf(
                        Locale.ROOT, "%d viewers receiving %.0f ms after connecting began%n", viewers, firstMillis);
                Thread.sleep(STATS_SETTLE_MILLIS);

                long quietFrom = transactions(postgres);
                Thread.sleep(spreadMillis + STATS_SETTLE_MILLIS);
                long quiet = transactions(postgres) - quietFrom;

                long before = transactions(postgres);
                fleet.dropAll();
                fleet.connectAll(spreadMillis);
                double backMillis = fleet.awaitAllReceiving(60);
                Thread.sleep(STATS_SETTLE_MILLIS);
                long storm = transactions(postgres) - before;
                publisher.stop();
                row = String.format(
                        Locale.ROOT,
                        "| %d | %.1f Mb/s | %.1f s | %s | %d | %d | %d (%.2f per viewer) | %.0f |",
                        viewers,
                        bitrate / 1e6,
                        spreadMillis / 1000.0,
                        Double.isNaN(backMillis)
                                ? "not all back within 60 s"
                                : String.format(Locale.ROOT, "%.0f ms", backMillis),
                        fleet.failedConnects.get(),
                        quiet,
                        storm,
                        (double) storm / viewers,
                        ProcessStats.rssMb(relay.pid()));
            } finally {
                clients.close();
            }
        }
        String table = String.format(Locale.ROOT, "%nReconnect storm (options %s):%n%n", o.get("jvm-opts"))
                + "| viewers | bitrate | reconnects spread over | drop to the last one receiving again | refused connects "
                + "| DB transactions, same span without a storm | DB transactions in the storm | RSS after MB |\n"
                + "|---|---|---|---|---|---|---|---|\n" + row + "\n";
        System.out.println(table);
        if (o.containsKey("out")) {
            Files.writeString(
                    Path.of(o.get("out")),
                    table + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        System.exit(0);
    }

    /** Transactions committed and rolled back in the relay's database so far, as PostgreSQL counts them. */
    private static long transactions(EmbeddedPostgres postgres) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'storm'");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Viewers that note when they last (re)connected and when media came after that. */
    private static final class Fleet {
        private final Vertx vertx;
        private final WebSocketClient client;
        private final RelayUnderTest relay;
        private final AtomicReferenceArray<WebSocket> sockets; // the current connection of each viewer
        private final AtomicLong[] mediaAfter; // nanoTime of the first media since the last connect; 0 before
        final AtomicInteger failedConnects = new AtomicInteger();
        private volatile long startedAt;

        Fleet(Vertx vertx, RelayUnderTest relay, int n) {
            this.vertx = vertx;
            this.relay = relay;
            this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxMessageSize(64 << 20)
                    .setMaxFrameSize(64 << 20)
                    .setMaxConnections(100_000)
                    .setTryUsePerMessageCompression(false));
            sockets = new AtomicReferenceArray<>(n);
            mediaAfter = new AtomicLong[n];
            for (int i = 0; i < n; i++) {
                mediaAfter[i] = new AtomicLong();
            }
        }

        /** Connects every viewer, each at a random moment within {@code spreadMillis} from now. */
        void connectAll(long spreadMillis) {
            startedAt = System.nanoTime();
            for (int i = 0; i < sockets.length(); i++) {
                mediaAfter[i].set(0);
                long delay = spreadMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(spreadMillis);
                int viewer = i;
                if (delay == 0) {
                    connect(viewer);
                } else {
                    vertx.setTimer(delay, t -> connect(viewer));
                }
            }
        }

        private void connect(int i) {
            WebSocketConnectOptions options = new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(relay.viewerPort())
                    .setURI("/ws/streams/" + relay.streamId())
                    .addHeader("Cookie", relay.cookie());
            client.connect(options)
                    .onSuccess(ws -> {
                        sockets.set(i, ws);
                        // only this connection's media counts: frames still arriving on a dropped one do not
                        ws.binaryMessageHandler(b -> {
                            if (sockets.get(i) == ws) {
                                mediaAfter[i].compareAndSet(0, System.nanoTime());
                            }
                        });
                    })
                    .onFailure(e -> {
                        failedConnects.incrementAndGet();
                        vertx.setTimer(250, t -> connect(i)); // as a player retries
                    });
        }

        void dropAll() {
            for (int i = 0; i < sockets.length(); i++) {
                WebSocket ws = sockets.getAndSet(i, null);
                if (ws != null) { // its handler stops counting: it is no longer the viewer's current connection
                    ws.close();
                }
            }
        }

        /** Milliseconds from the last connectAll until the last viewer got media; NaN when not all did in time. */
        double awaitAllReceiving(int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                long last = 0;
                boolean all = true;
                for (AtomicLong at : mediaAfter) {
                    long t = at.get();
                    if (t == 0) {
                        all = false;
                        break;
                    }
                    last = Math.max(last, t);
                }
                if (all) {
                    return (last - startedAt) / 1e6;
                }
                Thread.sleep(20);
            }
            return Double.NaN;
        }
    }
}
