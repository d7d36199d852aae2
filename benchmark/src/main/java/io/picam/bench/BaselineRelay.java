package io.picam.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The original's architecture: Node and the ws package, each chunk to every socket (benchmark/baseline). */
final class BaselineRelay implements RelayUnderTest {

    private final Process process;
    private final int port;

    BaselineRelay(Path dir, int port) throws IOException, InterruptedException {
        this.port = port;
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(dir.toFile())
                    .inheritIO()
                    .start();
            if (npm.waitFor() != 0) {
                throw new IllegalStateException("npm ci failed in " + dir);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(Bench.atDefaultPriority(List.of("node", "relay.js")))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", String.valueOf(port));
        process = builder.start();
        Bench.awaitHttp(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                URI.create("http://127.0.0.1:" + port + "/login"),
                process);
    }

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String streamId() {
        return "bench";
    }

    @Override
    public String secret() {
        return null;
    }

    @Override
    public String cookie() {
        return null;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public int viewerStartOffset(byte[] published) {
        return 0;
    }

    @Override
    public void close() {
        Bench.stop(process);
    }
}
