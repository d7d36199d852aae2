package io.picam.relay.it;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server (6.2, the binary that Maven Central's {@code com.github.codemonstur:embedded-redis} carries, so
 * that a machine with only a JDK runs the scale-out tests) on a fixed port, so that it can be stopped and started
 * again under running relays, as a Heroku Key-Value Store maintenance would.
 */
public final class RedisServer implements AutoCloseable {

    private static final Path BINARY = binary();
    private final int port;
    private final int tlsPort;
    private final Path tls;
    private final Path log;
    private Process process;

    public RedisServer() throws IOException {
        try (ServerSocket s = new ServerSocket(0);
                ServerSocket t = new ServerSocket(0)) {
            port = s.getLocalPort();
            tlsPort = t.getLocalPort();
        }
        log = Files.createTempFile("picam-it-redis", ".log");
        tls = selfSignedCertificate();
    }

    /** The redis-server for this machine, out of the test class path, into a private temporary folder. */
    private static Path binary() {
        String arch = System.getProperty("os.arch");
        String name = arch.equals("aarch64") || arch.equals("arm64")
                ? "redis-server-6.2.7-linux-arm64"
                : "redis-server-6.2.6-v5-linux-amd64";
        try (InputStream in = RedisServer.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "no " + name + " on the test class path (com.github.codemonstur:embedded-redis)");
            }
            Path dir = Files.createTempDirectory("picam-it-redis-bin");
            Path binary = dir.resolve("redis-server");
            Files.copy(in, binary);
            Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + name, e);
        }
    }

    /** A self-signed certificate, as Heroku Key-Value Store presents one (openssl comes with ca-certificates). */
    private static Path selfSignedCertificate() throws IOException {
        Path dir = Files.createTempDirectory("picam-it-redis-tls");
        try {
            Process openssl = new ProcessBuilder(
                            "openssl",
                            "req",
                            "-x509",
                            "-newkey",
                            "rsa:2048",
                            "-nodes",
                            "-days",
                            "2",
                            "-subj",
                            "/CN=redis.internal",
                            "-keyout",
                            dir.resolve("key.pem").toString(),
                            "-out",
                            dir.resolve("cert.pem").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile())
                    .start();
            if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IllegalStateException(
                        "openssl could not make a certificate: " + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return dir;
    }

    public void start() throws Exception {
        String cert = tls.resolve("cert.pem").toString();
        process = new ProcessBuilder(
                        BINARY.toString(),
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--tls-port",
                        String.valueOf(tlsPort),
                        "--tls-cert-file",
                        cert,
                        "--tls-key-file",
                        tls.resolve("key.pem").toString(),
                        "--tls-ca-cert-file",
                        cert,
                        "--tls-auth-clients",
                        "no",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
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
    public void stop() throws InterruptedException {
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

    /** PUBLISH straight to the server, as anyone who can reach it could; the number of subscribers that got it. */
    long publish(String channel, byte[] message) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            ByteArrayOutputStream command = new ByteArrayOutputStream();
            byte[][] parts = {
                "PUBLISH".getBytes(StandardCharsets.US_ASCII), channel.getBytes(StandardCharsets.UTF_8), message
            };
            command.writeBytes(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] part : parts) {
                command.writeBytes(("$" + part.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                command.writeBytes(part);
                command.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            socket.getOutputStream().write(command.toByteArray());
            socket.getOutputStream().flush();
            String answer = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            if (answer == null || !answer.startsWith(":")) {
                throw new IOException("PUBLISH answered " + answer);
            }
            return Long.parseLong(answer.substring(1));
        }
    }

    int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The same server over TLS, with a certificate nobody can check (Heroku Key-Value Store's kind). */
    String tlsUrl() {
        return "rediss://127.0.0.1:" + tlsPort;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
