package io.picam.relay.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The webhook examples of docs/ALERTS.md (ntfy, Home Assistant, Discord) name only events and formats the relay
 * knows, and its table lists every event. Offline: the examples' hosts are not called.
 */
class AlertsDocumentationTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyExampleWebhookUsesKnownEventsAndFormats() throws IOException {
        List<JsonNode> examples = new ArrayList<>();
        Matcher m = JSON_BLOCK.matcher(alertsDoc());
        while (m.find()) {
            JsonNode node = new ObjectMapper().readTree(m.group(1));
            if (node.has("url")) {
                examples.add(node);
            }
        }
        assertThat(examples).as("the ntfy, Home Assistant and Discord examples").hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode example : examples) {
            assertThat(example.get("url").asText()).startsWith("http");
            example.get("events")
                    .forEach(e -> assertThat(AlertEvent.of(e.asText()))
                            .as("event %s", e.asText())
                            .isPresent());
            assertThat(WebhookFormat.of(example.get("format").asText())).isPresent();
        }
        assertThat(examples).extracting(e -> e.get("format").asText()).contains("ntfy", "json", "discord");
    }

    @Test
    void theEventTableListsEveryEvent() throws IOException {
        String doc = alertsDoc();
        for (AlertEvent event : AlertEvent.values()) {
            assertThat(doc).as("the row of %s", event.id()).contains("| `" + event.id() + "` |");
        }
    }

    private static String alertsDoc() throws IOException {
        return Files.readString(Path.of("..", "docs", "ALERTS.md"), StandardCharsets.UTF_8);
    }
}
