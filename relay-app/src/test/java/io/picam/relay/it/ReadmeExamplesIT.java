package io.picam.relay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's API examples, taken from the README itself and run by bash and curl against the packaged relay
 * (started as the Procfile starts it, with the demo's admin password), with only its address put in: the first
 * thing a newcomer pastes must work.
 */
class ReadmeExamplesIT {

    private static ProcfileRelay relay;

    @BeforeAll
    static void startRelay() throws Exception {
        relay = new ProcfileRelay(Map.of(
                "PICAM_ADMIN_PASSWORD",
                "picam-demo",
                "PICAM_DATA_DIR",
                Files.createTempDirectory("picam-readme").toString()));
        relay.start();
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void thePublishingExamplesWorkAsWritten() throws Exception {
        List<String> blocks = curlBlocks(Files.readString(relay.root().resolve("README.md")));
        assertThat(blocks)
                .as("the README's curl examples (```sh blocks with curl and localhost:8080)")
                .hasSizeGreaterThanOrEqualTo(2);
        String script = "set -euo pipefail\n"
                + String.join("\n", blocks).replace("http://localhost:8080", "http://127.0.0.1:" + relay.port());
        Path dir = Files.createTempDirectory("readme");
        Process bash = new ProcessBuilder("bash", "-c", script)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).as("the examples finish").isTrue();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(out).isZero();
        assertThat(out).contains("logged in as admin");
        assertThat(out)
                .as("both streams were made, each answer with its secret")
                .containsPattern("\"name\":\"Garden\",\"format\":\"mpegts\",\"secret\":\"[A-Za-z0-9_-]{40,}\"")
                .containsPattern("\"name\":\"Porch\",\"format\":\"fmp4\",\"secret\":\"[A-Za-z0-9_-]{40,}\"");
    }

    /** The shell blocks that call the local relay with curl, in README order, without their comment lines. */
    static List<String> curlBlocks(String readme) throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (m.find()) {
            String block = m.group(1);
            if (block.contains("curl ") && block.contains("http://localhost:8080")) {
                blocks.add(block.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n"));
            }
        }
        return blocks;
    }
}
