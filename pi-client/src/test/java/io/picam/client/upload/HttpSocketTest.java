package io.picam.client.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readiness GET against the JDK's HTTP server, and TLS against a server whose certificate names localhost. */
class HttpSocketTest {

    @Test
    void getReturnsTheStatusOfThePathAskedFor() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            boolean ready = exchange.getRequestURI().getPath().equals("/relay/q/health/ready");
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ready ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(HttpSocket.get(URI.create(base + "/relay/q/health/ready"), 2000))
                    .isEqualTo(200);
            assertThat(HttpSocket.get(URI.create(base + "/q/health/ready?x=1"), 2000))
                    .isEqualTo(503);
            assertThat(asked).containsExactly("/relay/q/health/ready", "/q/health/ready?x=1");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnknownHostIsSaidAsSuch() {
        assertThatThrownBy(() -> HttpSocket.get(URI.create("http://no-such-host.invalid/q/health/ready"), 2000))
                .hasMessage("unknown host no-such-host.invalid");
    }

    @Test
    void tlsChecksTheCertificatesHostNameAndSendsSni(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        Path keys = dir.resolve("keys.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "relay",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost",
                        "-validity",
                        "2",
                        "-keystore",
                        keys.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            keyStore.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, password);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("relay", keyStore.getCertificate("relay"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        List<String> serverNames = new CopyOnWriteArrayList<>();
        try (SSLServerSocket server = (SSLServerSocket)
                serverTls.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> answerOverTls(server, serverNames), "tls-server");
            t.setDaemon(true);
            t.start();
            int port = server.getLocalPort();

            try (Socket socket = HttpSocket.open(
                    URI.create("https://localhost:" + port + "/"), 5000, clientTls.getSocketFactory())) {
                HttpSocket.writeHead(
                        socket.getOutputStream(), "GET", URI.create("https://localhost:" + port + "/"), List.of());
                assertThat(HttpAnswer.read(new BufferedInputStream(socket.getInputStream()))
                                .status())
                        .isEqualTo(200);
            }
            assertThat(serverNames).containsExactly("localhost");

            assertThatThrownBy(() -> HttpSocket.open(
                                    URI.create("https://127.0.0.1:" + port + "/"), 5000, clientTls.getSocketFactory())
                            .close())
                    .as("the certificate names localhost, not 127.0.0.1")
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    private static void answerOverTls(SSLServerSocket server, List<String> serverNames) {
        while (!server.isClosed()) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(5000);
                s.startHandshake();
                ((ExtendedSSLSession) s.getSession())
                        .getRequestedServerNames()
                        .forEach(n -> serverNames.add(((SNIHostName) n).getAsciiName()));
                InputStream in = s.getInputStream();
                int b;
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
                    head.append((char) b);
                }
                s.getOutputStream()
                        .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the handshake the client refused, or the test is over
            }
        }
    }
}
