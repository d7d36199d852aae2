package io.picam.relay.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server (Debian's {@code redis-server}, which {@code .ci/run} installs) on a fixed port, so that it
 * can be stopped and started again under running relays, as a Heroku Key-Value Store maintenance would.
 */
final class RedisServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");
    private final int port;
    private final Path log;
    private Process process;

    RedisServer() throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("the scale-out tests need a real Redis: install Debian's redis-server "
                    + "(apt-get install redis-server; .ci/run does)");
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = Files.createTempFile("picam-it-redis", ".log");
    }

    void start() throws Exception {
        process = new ProcessBuilder(BINARY.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(log));
            }
            if (answersPing()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redis-server did not answer within 20 s: " + Files.readString(log));
    }

    /** Gone at once, as a crash or a failover looks to its clients. */
    void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private boolean answersPing() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
