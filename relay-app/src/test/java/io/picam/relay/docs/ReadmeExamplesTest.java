package io.picam.relay.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.picam.relay.support.TestAccounts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The README's API examples, taken from the README itself and run by bash and curl against a relay, with only
 * the address and the admin password put in: the first thing a newcomer pastes must work.
 */
@QuarkusTest
class ReadmeExamplesTest {

    private static final Path README = Path.of("..", "README.md");

    @TestHTTPResource("/")
    URI relay;

    @Test
    void thePublishingExamplesWorkAsWritten() throws Exception {
        List<String> blocks = curlBlocks(Files.readString(README));
        assertThat(blocks).as("the README's curl examples (```sh blocks with curl and localhost:8080)").hasSizeGreaterThanOrEqualTo(2);
        String base = relay.toString().replaceAll("/$", "");
        String script = "set -euo pipefail\n" + String.join("\n", blocks)
                .replace("http://localhost:8080", base)
                .replace("j_password=picam-demo", "j_password=" + TestAccounts.ADMIN_PASSWORD);
        Path dir = Files.createTempDirectory("readme");
        Process bash = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).as("the examples finish").isTrue();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(out).isZero();
        assertThat(out).contains("logged in as admin");
        assertThat(out).as("both streams were made, each answer with its secret")
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
