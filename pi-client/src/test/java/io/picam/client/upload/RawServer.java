package io.picam.client.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server on loopback that takes one connection and lets the test play the far side byte by byte: read the
 * request head, answer whatever it likes, keep the connection open or not, read or not.
 */
final class RawServer implements AutoCloseable {

    private final ServerSocket server;
    private final CompletableFuture<Socket> accepted = new CompletableFuture<>();

    /** receiveBuffer: small, so that a server that stops reading makes the client's socket full soon. */
    RawServer(int receiveBuffer) throws IOException {
        server = new ServerSocket();
        server.setReceiveBufferSize(receiveBuffer);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(
                () -> {
                    try {
                        accepted.complete(server.accept());
                    } catch (IOException e) {
                        accepted.completeExceptionally(e);
                    }
                },
                "raw-server");
        t.setDaemon(true);
        t.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    Socket connection() throws Exception {
        Socket s = accepted.get(10, TimeUnit.SECONDS);
        s.setSoTimeout(10_000);
        return s;
    }

    /** The request head up to and without the blank line. */
    String readHead() throws Exception {
        InputStream in = connection().getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head");
            }
            head.write(b);
        }
        String s = head.toString(StandardCharsets.ISO_8859_1);
        return s.substring(0, s.length() - 4);
    }

    /** Exactly n bytes of what the client sent after the head. */
    byte[] read(int n) throws Exception {
        return connection().getInputStream().readNBytes(n);
    }

    void answer(String raw) throws Exception {
        OutputStream out = connection().getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads and throws away whatever comes, on a thread of its own, until the connection ends. */
    void drain() throws Exception {
        InputStream in = connection().getInputStream();
        connection().setSoTimeout(0);
        Thread t = new Thread(
                () -> {
                    try {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException ended) {
                        // the client closed
                    }
                },
                "raw-server-drain");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws Exception {
        server.close();
        if (accepted.isDone() && !accepted.isCompletedExceptionally()) {
            accepted.get().close();
        }
    }
}
