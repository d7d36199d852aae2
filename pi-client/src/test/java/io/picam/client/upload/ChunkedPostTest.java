package io.picam.client.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The chunked POST against real servers on loopback: a raw socket playing the far side, and the JDK's server. */
class ChunkedPostTest {

    private static final List<String> HEADERS = List.of("Authorization: Bearer s3cret", "Content-Type: video/mp2t");

    @Test
    void theServersAnswerIsReadWhileTheBodyIsStillBeingSent() throws Exception {
        try (RawServer server = new RawServer(64 * 1024)) {
            ChunkedPost post = ChunkedPost.open(server.uri("/ingest/cam"), HEADERS, 1 << 20, "test");
            try {
                server.readHead();
                assertThat(post.offer("abc".getBytes(StandardCharsets.US_ASCII)))
                        .isTrue();
                assertThat(post.offer(bytes(1000, 'a'))).isTrue();
                assertThat(text(server.read(8 + 1007))).isEqualTo("3\r\nabc\r\n3e8\r\n" + "a".repeat(1000) + "\r\n");
                // answered mid-body, connection kept open, the body not read any further
                server.answer("HTTP/1.1 409 Conflict\r\nContent-Length: 22\r\n\r\nanother upload is live");

                HttpAnswer answer = post.answer().get(10, TimeUnit.SECONDS);
                assertThat(answer).isEqualTo(new HttpAnswer(409, "another upload is live"));
                assertThat(post.offer(bytes(10, 'b')))
                        .as("nothing more is taken once answered")
                        .isFalse();
            } finally {
                post.close();
            }
        }
    }

    @Test
    void aProxyThatAnswers503AndKeepsTheConnectionOpenWhileWeSendEndsThePostAtOnce() throws Exception {
        try (RawServer server = new RawServer(64 * 1024)) {
            ChunkedPost post = ChunkedPost.open(server.uri("/ingest/cam"), HEADERS, 1 << 20, "test");
            try {
                server.readHead();
                server.drain(); // it reads on, as Heroku's router does, and never closes
                server.answer("HTTP/1.1 503 Service Unavailable\r\nConnection: keep-alive\r\n"
                        + "Content-Type: text/html\r\nContent-Length: 17\r\n\r\nApplication Error");
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    while (!post.answer().isDone()) {
                        post.offer(bytes(4096, 'x'));
                    }
                });

                assertThat(post.answer().get(10, TimeUnit.SECONDS)).isEqualTo(new HttpAnswer(503, "Application Error"));
                sending.get(10, TimeUnit.SECONDS);
            } finally {
                post.close();
            }
        }
    }

    @Test
    void theHeadAndTheChunkFramingAreWhatAnHttpServerReads() throws Exception {
        byte[][] chunks = {bytes(1, 'a'), bytes(300, 'b'), bytes(70_000, 'c'), bytes(16, 'd')};
        int total = Arrays.stream(chunks).mapToInt(c -> c.length).sum();
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        CompletableFuture<Map<String, List<String>>> headers = new CompletableFuture<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ingest/cam", exchange -> {
            try {
                headers.complete(Map.copyOf(exchange.getRequestHeaders()));
                // the JDK's server undoes the chunk framing. The body never ends: it is neither closed (that would
                // drain it) nor asked for 0 more bytes once all came (readNBytes would, and wait for a next chunk)
                byte[] body = new byte[total];
                new DataInputStream(exchange.getRequestBody()).readFully(body);
                received.complete(body);
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException | IOException e) {
                received.completeExceptionally(e);
            }
        });
        server.start();
        ChunkedPost post = ChunkedPost.open(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ingest/cam?x=1"),
                HEADERS,
                1 << 20,
                "test");
        try {
            for (byte[] chunk : chunks) {
                assertThat(post.offer(chunk)).isTrue();
            }
            assertThat(post.offer(new byte[0]))
                    .as("an empty chunk is not the body's end")
                    .isTrue();

            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (byte[] chunk : chunks) {
                expected.write(chunk);
            }
            assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(expected.toByteArray());
            assertThat(headers.get())
                    .containsEntry("Authorization", List.of("Bearer s3cret"))
                    .containsEntry("Content-type", List.of("video/mp2t"))
                    .containsEntry("Transfer-encoding", List.of("chunked"))
                    .containsEntry("Connection", List.of("close"))
                    .containsEntry(
                            "Host", List.of("127.0.0.1:" + server.getAddress().getPort()));
            assertThat(post.answer().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> post.bytesSent() == total);
        } finally {
            post.close();
            server.stop(0);
        }
    }

    @Test
    void whenTheServerStopsReadingTheQueueFillsAndOfferRefusesWithoutBlocking() throws Exception {
        try (RawServer server = new RawServer(4096)) {
            ChunkedPost post = ChunkedPost.open(server.uri("/ingest/cam"), HEADERS, 256 * 1024, "test");
            try {
                server.readHead(); // and nothing after it
                // offered faster than the socket takes them: the kernel's buffers fill, then the queue
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> {
                            post.offer(bytes(64 * 1024, 'x'));
                            return post.stalled(TimeUnit.MILLISECONDS.toNanos(500));
                        });
                assertThat(post.offer(bytes(64 * 1024, 'x')))
                        .as("a full queue refuses at once")
                        .isFalse();
                assertThat(post.answer()).isNotDone();
            } finally {
                post.close();
            }
        }
    }

    @Test
    void closeEndsBothThreadsAlsoWhenTheWriterIsStuckInAFullSocket() throws Exception {
        try (RawServer server = new RawServer(4096)) {
            ChunkedPost post = ChunkedPost.open(server.uri("/ingest/cam"), HEADERS, 256 * 1024, "test");
            server.readHead();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        post.offer(bytes(64 * 1024, 'x'));
                        return post.stalled(TimeUnit.MILLISECONDS.toNanos(200)); // the writer is stuck in a write
                    });
            post.close();

            assertThat(post.threadsEnded(10_000)).isTrue();
            assertThat(post.answer()).isCompletedExceptionally();
        }
        try (RawServer server = new RawServer(64 * 1024)) {
            ChunkedPost idle = ChunkedPost.open(server.uri("/ingest/cam"), HEADERS, 256 * 1024, "test");
            server.readHead(); // the writer waits for chunks, the reader for an answer
            idle.close();

            assertThat(idle.threadsEnded(10_000)).isTrue();
        }
    }

    @Test
    void aConnectionThatEndsWithoutAnAnswerFailsThePost() throws Exception {
        try (RawServer server = new RawServer(64 * 1024)) {
            ChunkedPost post = ChunkedPost.open(server.uri("/ingest/cam"), HEADERS, 256 * 1024, "test");
            try {
                server.readHead();
                server.connection().close();

                assertThatThrownBy(() -> post.answer().get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("connection closed");
            } finally {
                post.close();
            }
        }
    }

    @Test
    void nothingListeningFailsTheOpen() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> ChunkedPost.open(URI.create("http://127.0.0.1:" + port + "/"), HEADERS, 1, "test"))
                .isInstanceOf(ConnectException.class);
    }

    private static byte[] bytes(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
