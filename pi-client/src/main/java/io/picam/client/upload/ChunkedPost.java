package io.picam.client.upload;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code POST} with a chunked body of unknown length on a socket of its own. {@link #offer} never blocks: the
 * chunks wait in a queue bounded by bytes, which one writer thread drains into the socket with the chunk framing.
 * A reader thread reads the answer as soon as it comes, while the body is still going out: a server (or a proxy in
 * front of it) that refuses the request and keeps the connection open is seen at once. The JDK's HTTP/1.1 client
 * returns an answer only once the body is sent or the far side closes, which is why this exists. {@link #close}
 * closes the socket, which ends both threads.
 */
final class ChunkedPost {

    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Most segments fit, framing included: one write to the socket each. */
    private static final int WRITE_BUFFER = 32 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};

    private final CompletableFuture<HttpAnswer> answer = new CompletableFuture<>();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final long queueCapBytes;
    private final Socket socket;
    private final Thread writer;
    private final Thread reader;
    private long queuedBytes; // guarded by queue, as are writing and closed
    private boolean writing;
    private boolean closed;
    private volatile long bytesSent;
    private volatile long lastProgressNanos = System.nanoTime();

    private ChunkedPost(Socket socket, long queueCapBytes, String name) {
        this.socket = socket;
        this.queueCapBytes = queueCapBytes;
        this.writer = new Thread(this::writeLoop, name + "-write");
        this.reader = new Thread(this::readAnswer, name + "-read");
        writer.setDaemon(true);
        reader.setDaemon(true);
    }

    /**
     * Connects, sends the request head and starts the two threads; throws when the server cannot be reached within
     * the connect timeout. Chunks beyond queueCapBytes waiting make {@link #offer} refuse.
     */
    static ChunkedPost open(URI uri, List<String> headers, long queueCapBytes, String threadName) throws IOException {
        Socket socket = HttpSocket.open(uri, CONNECT_TIMEOUT_MILLIS);
        try {
            List<String> all = new ArrayList<>(headers);
            all.add("Transfer-Encoding: chunked");
            HttpSocket.writeHead(socket.getOutputStream(), "POST", uri, all);
            socket.setSoTimeout(0); // the answer may come hours later; close() ends the wait
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        ChunkedPost post = new ChunkedPost(socket, queueCapBytes, threadName);
        post.reader.start();
        post.writer.start();
        return post;
    }

    /** Queues the chunk; false (nothing queued) when the queue is full or the request is over. Never blocks. */
    boolean offer(byte[] chunk) {
        if (chunk.length == 0) {
            return true; // a zero-length chunk would end the body
        }
        synchronized (queue) {
            if (closed || answer.isDone() || queuedBytes >= queueCapBytes) {
                return false;
            }
            if (queuedBytes == 0 && !writing) {
                lastProgressNanos = System.nanoTime(); // a stall counts from when bytes start to wait
            }
            queue.add(chunk);
            queuedBytes += chunk.length;
            queue.notify();
            return true;
        }
    }

    /** True when bytes have been waiting (queued or in a write) with none going out for longer than the timeout. */
    boolean stalled(long timeoutNanos) {
        synchronized (queue) {
            if (queuedBytes == 0 && !writing) {
                return false;
            }
        }
        return System.nanoTime() - lastProgressNanos > timeoutNanos;
    }

    long bytesSent() {
        return bytesSent;
    }

    /** The server's answer; completes exceptionally when the connection fails or ends without one. */
    CompletableFuture<HttpAnswer> answer() {
        return answer;
    }

    /** Closes the socket: both threads end, queued chunks are dropped. */
    void close() {
        synchronized (queue) {
            closed = true;
            queue.clear();
            queuedBytes = 0;
            queue.notify();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** For tests: whether both threads have ended, waiting up to the timeout. */
    boolean threadsEnded(long timeoutMillis) throws InterruptedException {
        writer.join(timeoutMillis);
        reader.join(timeoutMillis);
        return !writer.isAlive() && !reader.isAlive();
    }

    private void writeLoop() {
        try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), WRITE_BUFFER);
            while (true) {
                byte[] chunk;
                synchronized (queue) {
                    writing = false;
                    while (queue.isEmpty() && !closed) {
                        queue.wait();
                    }
                    if (closed) {
                        return;
                    }
                    chunk = queue.poll();
                    queuedBytes -= chunk.length;
                    writing = true;
                }
                out.write(Integer.toHexString(chunk.length).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                out.write(chunk); // a larger one goes straight to the socket
                out.write(CRLF);
                if (nothingQueued()) {
                    out.flush();
                }
                bytesSent += chunk.length;
                lastProgressNanos = System.nanoTime();
            }
        } catch (IOException e) {
            writeFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean nothingQueued() {
        synchronized (queue) {
            return queue.isEmpty();
        }
    }

    /**
     * The server may have answered and closed (a refusal) before this write failed: its answer, still in the
     * socket's receive buffer, says more than "Broken pipe", so the reader gets a moment to read it.
     */
    private void writeFailed(IOException e) {
        synchronized (queue) {
            if (closed) {
                return; // closed from this side: the reader ends too
            }
        }
        try {
            answer.get(2, TimeUnit.SECONDS);
        } catch (Exception notAnswered) {
            answer.completeExceptionally(e);
        }
        close();
    }

    private void readAnswer() {
        try {
            answer.complete(HttpAnswer.read(new BufferedInputStream(socket.getInputStream(), 1024)));
        } catch (IOException | RuntimeException e) {
            answer.completeExceptionally(e);
        }
    }
}
