package io.picam.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small process and HTTP helpers. */
final class Bench {

    private Bench() {}

    /**
     * {@code command} run at the default OS priority when this benchmark was started at a lower one ({@code nice -n
     * 10 ./mvnw ...}): the load generator then yields to the relays, so that each relay gets the same share of the
     * cores whatever the load generator needs. Raising a child's priority back takes root (or CAP_SYS_NICE);
     * without it {@code nice} warns and the relay runs at the benchmark's priority.
     */
    static List<String> atDefaultPriority(List<String> command) {
        int own = niceness();
        if (own <= 0) {
            return command;
        }
        List<String> niced = new ArrayList<>(List.of("nice", "-n", String.valueOf(-own)));
        niced.addAll(command);
        return niced;
    }

    /** This process's nice value (Linux), 0 when unknown. */
    static int niceness() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void awaitHttp(HttpClient http, URI uri, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240); // a loaded machine starts slowly
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the relay exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the relay did not answer " + uri + " within 240 s");
    }

    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
