package io.picam.client.upload;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The body of one upload as the JDK's HTTP client reads it: the encoder's thread {@link #offer}s bytes, the client
 * takes them as fast as the socket does (it asks for more only when it has written what it had: that is the
 * backpressure). Bytes beyond {@code maxQueuedBytes} are refused rather than buffered, so a slow uplink costs a
 * drop, not memory or latency. Progress is the client asking for more; {@link #stalledFor} tells when it has not.
 */
final class UploadBody implements Flow.Publisher<ByteBuffer> {

    private final int maxQueuedBytes;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private Flow.Subscriber<? super ByteBuffer> subscriber; // all fields below: guarded by this
    private long demand;
    private int queuedBytes;
    private boolean emitting; // one thread at a time calls onNext, in order
    private boolean handedOut; // the client holds bytes and has not asked for more since
    private boolean ended;
    private long lastAskedNanos = System.nanoTime();
    private long bytesTaken;

    UploadBody(int maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Completes when the client first asks for bytes: it is connected and has sent the request head. */
    CompletableFuture<Void> started() {
        return started;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
        synchronized (this) {
            subscriber = s; // a retry of the connect subscribes again: the new one is the one that counts
            demand = 0;
        }
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                synchronized (UploadBody.this) {
                    if (subscriber != s || ended) {
                        return;
                    }
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    handedOut = false;
                    lastAskedNanos = System.nanoTime();
                }
                started.complete(null);
                drain();
            }

            @Override
            public void cancel() {
                synchronized (UploadBody.this) {
                    if (subscriber == s) {
                        end();
                    }
                }
            }
        });
    }

    /** Queues the bytes for the client; false (nothing queued) when it has not taken enough of the earlier ones. */
    boolean offer(byte[] data) {
        synchronized (this) {
            if (ended || queuedBytes > 0 && queuedBytes + data.length > maxQueuedBytes) {
                return false;
            }
            queue.add(ByteBuffer.wrap(data));
            queuedBytes += data.length;
        }
        drain();
        return true;
    }

    /** Ends the body with an error: the client aborts the request and closes the connection. */
    void fail(Throwable reason) {
        Flow.Subscriber<? super ByteBuffer> s;
        synchronized (this) {
            if (ended) {
                return;
            }
            end();
            s = subscriber;
        }
        if (s != null) {
            s.onError(reason);
        }
    }

    synchronized boolean stalledFor(long timeoutNanos) {
        return (queuedBytes > 0 || handedOut) && System.nanoTime() - lastAskedNanos > timeoutNanos;
    }

    synchronized long bytesTaken() {
        return bytesTaken;
    }

    private void end() {
        ended = true;
        queue.clear();
        queuedBytes = 0;
    }

    /** Hands queued bytes over while the client asks for them; a call from within onNext leaves it to the caller. */
    private void drain() {
        while (true) {
            Flow.Subscriber<? super ByteBuffer> s;
            ByteBuffer next;
            synchronized (this) {
                if (emitting || ended || subscriber == null || demand == 0 || queue.isEmpty()) {
                    return;
                }
                emitting = true;
                next = queue.poll();
                queuedBytes -= next.remaining();
                bytesTaken += next.remaining();
                demand--;
                handedOut = demand == 0; // and asks for more only once it has written them
                s = subscriber;
            }
            try {
                s.onNext(next);
            } finally {
                synchronized (this) {
                    emitting = false;
                }
            }
        }
    }
}
