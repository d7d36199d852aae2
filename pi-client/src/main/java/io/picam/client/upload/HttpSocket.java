package io.picam.client.upload;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A blocking socket to an {@code http://} or {@code https://} address, and the head of a request on it: the little
 * HTTP/1.1 the upload and its readiness check need, without an HTTP client's threads and classes. For
 * {@code https} a TLS socket on top, with the JDK's trust store, SNI and the host name checked against the
 * certificate.
 */
public final class HttpSocket {

    private HttpSocket() {}

    /** Connected (and for https, handshaken) within the timeout, which also bounds each read until changed. */
    public static Socket open(URI uri, int timeoutMillis) throws IOException {
        return open(uri, timeoutMillis, null);
    }

    /** With a TLS socket factory of the caller's (a test's trust store); null for the JDK's default. */
    static Socket open(URI uri, int timeoutMillis, SSLSocketFactory tls) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String host = host(uri);
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException("unknown host " + host);
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true); // chunk framing and data go out as written, no 40 ms waits
            socket.setSoTimeout(timeoutMillis);
            socket.connect(address, timeoutMillis);
            if (!https) {
                return socket;
            }
            SSLSocket tlsSocket = (SSLSocket) (tls != null ? tls : defaultTls()).createSocket(socket, host, port, true);
            SSLParameters parameters = tlsSocket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isLiteral(host)) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            tlsSocket.setSSLParameters(parameters);
            tlsSocket.startHandshake();
            return tlsSocket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Writes the request head: request line, Host, the given header lines, Connection: close. */
    public static void writeHead(OutputStream out, String method, URI uri, List<String> headers) throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append(method)
                .append(' ')
                .append(target(uri))
                .append(" HTTP/1.1\r\nHost: ")
                .append(uri.getRawAuthority().replaceFirst("^.*@", "")) // never user info
                .append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * {@code GET} with Connection: close, the whole exchange within about the timeout per step; the answer's status.
     */
    public static int get(URI uri, int timeoutMillis) throws IOException {
        try (Socket socket = open(uri, timeoutMillis)) {
            writeHead(socket.getOutputStream(), "GET", uri, List.of());
            return HttpAnswer.read(new BufferedInputStream(socket.getInputStream(), 1024))
                    .status();
        }
    }

    static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static String host(URI uri) throws UnknownHostException {
        String host = uri.getHost();
        if (host == null) {
            throw new UnknownHostException("no host in " + uri.getScheme() + "://" + uri.getRawAuthority());
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host; // IPv6 literal
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static SSLSocketFactory defaultTls() throws IOException {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no TLS in this Java", e);
        }
    }
}
