package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.picam.relay.support.TestPublisher;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.UpgradeRejectedException;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 14 on real sockets: sockets per user, and the bytes a crowd that stopped reading can make the relay hold. */
@QuarkusTest
class ConnectionLimitsTest {

    private static final int PER_USER = 16; // picam.viewer.max-per-user
    private static final long BUDGET = 1024 * 1024; // %test.picam.viewer.held-budget
    private static final long CHUNK = 64 * 1024; // quarkus.http.limits.max-chunk-size: the largest segment

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    @Inject
    HubRegistry hubs;

    @Inject
    ViewerLimits limits;

    @Inject
    MeterRegistry metrics;

    @Test
    void aUsersSeventeenthSocketIsRefusedUntilOneClosesAndOtherUsersAreNotAffected() {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        String id = stream.stream().id();
        String user = watcher(id);
        String session = Sessions.login(user, TestAccounts.PASSWORD);
        List<LiveViewer> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_USER; i++) {
                open.add(LiveViewer.open(relay, id, session));
            }
            assertThat(LiveViewer.refusal(relay, id, session)).isEqualTo(429);
            assertThat(refused("per-user")).isPositive();

            String other = watcher(id);
            open.add(LiveViewer.open(relay, id, Sessions.login(other, TestAccounts.PASSWORD)));

            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .untilAsserted(() -> open.add(LiveViewer.open(relay, id, session)));
            assertThat(LiveViewer.refusal(relay, id, session)).isEqualTo(429);
        } finally {
            open.forEach(LiveViewer::close);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.heldBy(user) == 0);
    }

    @Test
    void fiftyParallelUpgradesOfOneUserGetNoMoreThanTheLimitThrough() throws Exception {
        String id = accounts.newStream(StreamFormat.MPEGTS).stream().id();
        String user = watcher(id);
        String session = Sessions.login(user, TestAccounts.PASSWORD);
        ExecutorService threads = Executors.newFixedThreadPool(50);
        List<LiveViewer> admitted = new ArrayList<>();
        try {
            List<Callable<LiveViewer>> attempts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                attempts.add(() -> LiveViewer.open(relay, id, session));
            }
            int refused = 0;
            for (Future<LiveViewer> attempt : threads.invokeAll(attempts)) {
                try {
                    admitted.add(attempt.get());
                } catch (ExecutionException e) {
                    assertThat(e.getCause().getCause().getCause())
                            .isInstanceOfSatisfying(
                                    UpgradeRejectedException.class,
                                    rejected -> assertThat(rejected.getStatus()).isEqualTo(429));
                    refused++;
                }
            }
            assertThat(admitted).hasSize(PER_USER);
            assertThat(refused).isEqualTo(50 - PER_USER);
        } finally {
            threads.shutdown();
            admitted.forEach(LiveViewer::close);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.heldBy(user) == 0);
    }

    @Test
    void upgradesThatNeverBecomeASocketGiveTheirPlacesBack() throws Exception {
        String id = accounts.newStream(StreamFormat.MPEGTS).stream().id();
        String user = watcher(id);
        String session = Sessions.login(user, TestAccounts.PASSWORD);
        for (int i = 0; i < PER_USER; i++) {
            // the upgrade request, then gone: the relay is still asking the database when the connection closes
            try (Socket socket = new Socket(relay.getHost(), relay.getPort())) {
                socket.getOutputStream().write(upgradeRequest(id, session, "13"));
            }
            // passes the relay's check, then fails in the handshake (a version nobody speaks): no socket, no @OnClose
            try (Socket socket = new Socket(relay.getHost(), relay.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(upgradeRequest(id, session, "99"));
                assertThat(responseHead(socket.getInputStream()))
                        .doesNotStartWith("HTTP/1.1 101")
                        .doesNotContain(" 429 ");
            }
        }
        // well within the 30 s after which a place whose socket never opened expires anyway
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.heldBy(user) == 0);
        List<LiveViewer> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_USER; i++) {
                open.add(LiveViewer.open(relay, id, session));
            }
        } finally {
            open.forEach(LiveViewer::close);
        }
    }

    @Test
    void aCrowdThatStopsReadingCannotPushTheHeldBytesOverTheBudget() throws Exception {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        String id = stream.stream().id();
        String crowd = watcher(id);
        String crowdSession = Sessions.login(crowd, TestAccounts.PASSWORD);
        byte[] clip = TestMedia.tsClip();
        double skipsBefore = counter("picam.viewers.budget.skips");
        AtomicLong maxHeld = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                maxHeld.accumulateAndGet(hubs.heldBytes(), Math::max);
                Thread.onSpinWait();
            }
        });
        List<Socket> stalled = new ArrayList<>();
        try (LiveViewer reader = LiveViewer.open(relay, id, Sessions.admin());
                TestPublisher publisher = TestPublisher.open(relay, id, stream.secret())) {
            for (int i = 0; i < 12; i++) {
                stalled.add(stalledViewer(id, crowdSession));
            }
            await().until(() -> hubs.find(id).orElseThrow().viewerCount() == 13);
            sampler.start();
            // each stalled socket can be handed 256 KB (the test's queue limit): 3 MB for the crowd, without a budget
            for (int round = 0; round < 40; round++) {
                int before = reader.byteCount();
                publisher.write(clip, 16 * 1024);
                await("the reading viewer keeps receiving")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> reader.byteCount() > before);
            }
            assertThat(maxHeld.get())
                    .as("bytes the relay held for all viewers at any time")
                    .isPositive()
                    .isLessThanOrEqualTo(BUDGET + BUDGET / 2 + CHUNK); // the reserve of viewers that keep up
            assertThat(counter("picam.viewers.budget.skips") - skipsBefore)
                    .as("the biggest holders were made to skip")
                    .isPositive();
            // closed (for the budget, or stalled past the timeout) and their connections cut: the bytes come back
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> hubs.find(id).orElseThrow().viewerCount() == 1);
            // the cut, or at the latest Vert.x's own close timeout (10 s after the close frame), frees them
            await("held bytes back, with "
                            + hubs.find(id).orElseThrow().viewers().size() + " viewer(s) left")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> hubs.heldBytes() <= CHUNK);
            publisher.write(clip, 16 * 1024);
            int before = reader.byteCount();
            publisher.write(clip, 16 * 1024);
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.byteCount() >= before + clip.length);
            assertThat(reader.closed()).isFalse();
        } finally {
            sampling.set(false);
            sampler.join();
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        assertThat(maxHeld.get())
                .as("bytes the relay held for all viewers at any time")
                .isLessThanOrEqualTo(BUDGET + BUDGET / 2 + CHUNK); // with the reserve of viewers that keep up
        assertThat(metrics.find("picam.viewers.held").gauge().value()).isEqualTo(hubs.heldBytes());
    }

    /** A new user allowed to watch the stream. */
    private String watcher(String streamId) {
        String user = accounts.newViewer();
        accounts.grant(streamId, user);
        return user;
    }

    private double refused(String reason) {
        return metrics.find("picam.viewers.refused")
                .tag("reason", reason)
                .functionCounter()
                .count();
    }

    /** 0 before the meter exists (this test may run first). */
    private double counter(String name) {
        var counter = metrics.find(name).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private byte[] upgradeRequest(String streamId, String session, String version) {
        return ("GET /ws/streams/" + streamId + " HTTP/1.1\r\n"
                        + "Host: " + relay.getHost() + ":" + relay.getPort() + "\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + version + "\r\n"
                        + "Cookie: " + Sessions.COOKIE + "=" + session + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String responseHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the response's end: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** A client that completes the upgrade and then never reads, with a small receive buffer so that TCP fills soon. */
    private Socket stalledViewer(String streamId, String session) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(relay.getHost(), relay.getPort()), 5000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(upgradeRequest(streamId, session, "13"));
        out.flush();
        assertThat(responseHead(socket.getInputStream())).startsWith("HTTP/1.1 101");
        return socket;
    }
}
