package io.picam.client.encoder;

import io.picam.client.upload.Backoff;
import io.picam.media.ContainerFramer;
import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the encoder running, whatever happens to the upload: starts the pipeline, reads its output into
 * segments for the uploader, and when it dies logs the tail of its stderr and starts it again with its
 * own backoff. {@link #stop} ends the whole process tree.
 */
public final class EncoderRunner {

    private static final Logger LOG = Logger.getLogger(EncoderRunner.class);
    private static final int STDERR_LINES = 20;

    private final List<List<String>> commands;
    private final Supplier<ContainerFramer> framers;
    private final Consumer<MediaSegment> sink;
    private final Runnable onRestart;
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Math::random);
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private volatile List<Process> processes = List.of();
    private volatile boolean stopped;
    private volatile long lastOutputNanos = System.nanoTime();
    private int restarts; // runner thread only

    public EncoderRunner(
            List<List<String>> commands,
            Supplier<ContainerFramer> framers,
            Consumer<MediaSegment> sink,
            Runnable onRestart) {
        this.commands = commands;
        this.framers = framers;
        this.sink = sink;
        this.onRestart = onRestart;
    }

    /** Runs until {@link #stop}; call on a thread of its own. */
    public void run() {
        while (!stopped) {
            long started = System.nanoTime();
            try {
                runOnce();
            } catch (IOException e) {
                if (!stopped) { // when stopping, its pipes close under the reader: nothing to report
                    LOG.errorf(
                            "Cannot start the encoder %s: %s", commands.get(0).get(0), e.getMessage());
                }
            }
            if (stopped) {
                return;
            }
            if (System.nanoTime() - started > Duration.ofSeconds(30).toNanos()) {
                backoff.reset();
            }
            Duration wait = backoff.next();
            LOG.warnf("The encoder stopped; restarting in %d ms. Its last words:%n%s", wait.toMillis(), stderr());
            sleep(wait);
            restarts++;
            onRestart.run();
        }
    }

    private void runOnce() throws IOException {
        List<ProcessBuilder> builders = new ArrayList<>();
        for (List<String> command : commands) {
            builders.add(new ProcessBuilder(command));
        }
        List<Process> started = ProcessBuilder.startPipeline(builders);
        processes = started;
        for (Process p : started) {
            Thread t = new Thread(() -> collectStderr(p.getErrorStream()), "encoder-stderr");
            t.setDaemon(true);
            t.start();
        }
        ContainerFramer framer = framers.get();
        byte[] buf = new byte[64 * 1024];
        try (InputStream out = started.get(started.size() - 1).getInputStream()) {
            int n;
            boolean first = true;
            while ((n = out.read(buf)) > 0) {
                lastOutputNanos = System.nanoTime();
                if (first && restarts > 0) {
                    LOG.infof("The encoder restarted (restart %d): its output flows again", restarts);
                }
                first = false;
                for (MediaSegment segment : framer.feed(buf, 0, n)) {
                    sink.accept(segment);
                }
            }
        } catch (MediaFormatException e) {
            LOG.errorf("The encoder's output is not what the relay expects: %s", e.getMessage());
        } finally {
            destroy(started);
        }
    }

    private void collectStderr(InputStream err) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private String stderr() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "  (nothing)" : "  " + String.join("\n  ", stderrTail);
        }
    }

    /** Nanoseconds since the encoder last produced output. */
    public long silentNanos() {
        return System.nanoTime() - lastOutputNanos;
    }

    /** Kills the current encoder (it is then restarted), e.g. when it has produced nothing for too long. */
    public void restart() {
        destroy(processes);
    }

    /** Ends the encoder and everything it started, and does not restart it. */
    public void stop() {
        stopped = true;
        destroy(processes);
    }

    private static void destroy(List<Process> processes) {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
