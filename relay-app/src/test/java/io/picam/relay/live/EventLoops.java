package io.picam.relay.live;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Vert.x with two event loops, for the live classes that live on them. A test class registers one as
 * {@code @RegisterExtension static final EventLoops loops = new EventLoops();} and it is closed after the class.
 */
final class EventLoops implements AfterAllCallback, AutoCloseable {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    /** A new event-loop context, as a connection's on the server; successive ones alternate between the two loops. */
    Context newContext() {
        return ((VertxInternal) vertx).createEventLoopContext();
    }

    /** Two contexts on different event loops. */
    Context[] twoLoops() {
        Context a = newContext();
        Context b = newContext();
        if (((ContextInternal) a).nettyEventLoop() == ((ContextInternal) b).nettyEventLoop()) {
            throw new IllegalStateException("expected two contexts on different event loops");
        }
        return new Context[] {a, b};
    }

    /** Runs {@code action} on {@code context} and waits for it; whatever was queued there before has run too. */
    void run(Context context, Runnable action) {
        call(context, () -> {
            action.run();
            return null;
        });
    }

    <T> T call(Context context, Supplier<T> action) {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                done.complete(action.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            return done.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("the event loop did not run the task", e);
        }
    }

    /** Keeps each of {@code contexts}' event loops busy until {@code release} opens (for at most 5 s). */
    void block(CountDownLatch release, Context... contexts) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(contexts.length);
        for (Context context : contexts) {
            context.runOnContext(v -> {
                started.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        if (!started.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the event loops did not start the blocking task");
        }
    }

    /** Waits until every task queued on these contexts so far has run. */
    void settle(Context... contexts) {
        for (Context context : contexts) {
            run(context, () -> {});
        }
    }

    /**
     * A viewer of {@code connection}, made on {@code context} as ViewerSocket's @OnOpen makes it, charged for every
     * byte it has in flight (the relay leaves the newest eighth of the queue limit uncharged), so that what a test
     * offers is what the budget holds.
     */
    Viewer viewer(Context context, FakeConnection connection, long queueLimit, HeldBytesBudget budget) {
        return viewer(context, connection, queueLimit, 0, budget);
    }

    /** As above, with the newest {@code uncharged} bytes in flight not charged to the budget. */
    Viewer viewer(Context context, FakeConnection connection, long queueLimit, long uncharged, HeldBytesBudget budget) {
        return call(
                context,
                () -> new Viewer(
                        connection.connection(),
                        connection.media(),
                        queueLimit,
                        uncharged,
                        budget,
                        new ViewerSlot("alice", null, System.nanoTime())));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
