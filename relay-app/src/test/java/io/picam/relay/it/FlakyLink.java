package io.picam.relay.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP link between a relay and Redis that can start swallowing every byte without closing anything, as a
 * network does when a NAT forgets a connection or a route goes away: no FIN, no RST, just silence. A connection
 * that went silent stays silent for good (its state is gone); connections made while it swallows are accepted
 * and silent too; only connections made after it is back carry bytes again.
 */
final class FlakyLink implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<AtomicBoolean> silenced = new CopyOnWriteArrayList<>();
    private volatile boolean swallowing;

    FlakyLink(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "flaky-link");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    void swallow(boolean swallow) {
        this.swallowing = swallow;
        if (swallow) {
            silenced.forEach(dead -> dead.set(true));
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException redisDown) {
                    client.close(); // as a refused connection looks through a real network
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                AtomicBoolean dead = new AtomicBoolean(swallowing);
                silenced.add(dead);
                pump(client, upstream, dead);
                pump(upstream, client, dead);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean dead) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            if (!dead.get()) {
                                out.write(buffer, 0, n);
                                out.flush();
                            }
                        }
                    } catch (IOException gone) {
                        // one side went away
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "flaky-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(FlakyLink::closeQuietly);
    }
}
