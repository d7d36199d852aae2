package io.picam.client.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged client ({@code picam stream}) as a real process. */
final class ClientProcess implements AutoCloseable {

    final Process process;
    final Path log;

    private ClientProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ClientProcess stream(RelayProcess relay, String streamId, String secret, String format, String... more)
            throws IOException {
        return stream(relay.url(""), streamId, secret, format, more);
    }

    /** Streams to the relay at this address (the relay itself, or a proxy in front of it). */
    static ClientProcess stream(URI relay, String streamId, String secret, String format, String... more)
            throws IOException {
        Path dir = Files.createTempDirectory("picam-it-client");
        Path secretFile = dir.resolve("secret");
        Files.writeString(secretFile, secret + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        List<String> args = new ArrayList<>(List.of(
                "stream",
                "--source",
                "test",
                "--format",
                format,
                "--size",
                "320x240",
                "--bitrate",
                "500k",
                "--relay",
                relay.toString(),
                "--stream",
                streamId,
                "--secret-file",
                secretFile.toString()));
        args.addAll(List.of(more));
        return start(dir, args.toArray(String[]::new));
    }

    static ClientProcess start(Path dir, String... args) throws IOException {
        return start(Map.of(), dir, args);
    }

    static ClientProcess start(Map<String, String> env, Path dir, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("picam.client.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the client is not packaged at " + jar + ": run ./mvnw verify");
        }
        List<String> command = new ArrayList<>(List.of("java", "-Xmx64m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("client.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PICAM_CONFIG", "");
        builder.environment().putAll(env);
        return new ClientProcess(builder.start(), log);
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
