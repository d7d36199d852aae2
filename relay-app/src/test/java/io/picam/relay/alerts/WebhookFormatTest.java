package io.picam.relay.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.relay.recording.RecordingGap;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bodies and headers of each format, for the events that differ. */
class WebhookFormatTest {

    private static final Instant START = Instant.parse("2026-12-01T03:00:04Z");
    private static final Instant END = Instant.parse("2026-12-01T03:02:10Z");
    private static final RecordingGap GAP = new RecordingGap("k3J9x_2Q", START, END);

    @Test
    void aRecordingGapCarriesItsStartAndEnd() {
        JsonPath json = new JsonPath(WebhookFormat.JSON.body(AlertEvent.RECORDING_GAP, END, "k3J9x_2Q", "Garden", GAP));
        assertThat(json.getString("event")).isEqualTo("recording.gap");
        assertThat(json.getString("at")).isEqualTo("2026-12-01T03:02:10Z");
        assertThat(json.getString("stream.id")).isEqualTo("k3J9x_2Q");
        assertThat(json.getString("gap.start")).isEqualTo("2026-12-01T03:00:04Z");
        assertThat(json.getString("gap.end")).isEqualTo("2026-12-01T03:02:10Z");
        assertThat(WebhookFormat.NTFY.body(AlertEvent.RECORDING_GAP, END, "k3J9x_2Q", "Garden", GAP))
                .isEqualTo("Camera Garden was not recorded from 2026-12-01 03:00:04 UTC to 2026-12-01 03:02:10 UTC:"
                        + " the recordings store did not keep up");
    }

    @Test
    void otherEventsHaveNoGapInTheirBody() {
        String body = WebhookFormat.JSON.body(AlertEvent.CAMERA_OFFLINE, START, "k3J9x_2Q", "Garden", null);
        assertThat(body)
                .isEqualTo("{\"event\":\"camera.offline\",\"at\":\"2026-12-01T03:00:04Z\","
                        + "\"stream\":{\"id\":\"k3J9x_2Q\",\"name\":\"Garden\"}}");
    }

    @Test
    void ntfyGetsAttachAndClickOnlyWhenThereAreLinks() {
        assertThat(WebhookFormat.NTFY.headers("camera.offline", Optional.of("https://r/a"), Optional.of("https://r/c")))
                .containsEntry("Attach", "https://r/a")
                .containsEntry("Click", "https://r/c")
                .containsEntry("Priority", "high");
        assertThat(WebhookFormat.NTFY.headers("camera.online", Optional.empty(), Optional.empty()))
                .doesNotContainKeys("Attach", "Click")
                .containsEntry("Priority", "default");
        assertThat(WebhookFormat.JSON.headers("camera.offline", Optional.of("https://r/a"), Optional.empty()))
                .isEmpty();
    }

    @Test
    void theStreamIsReadBackFromAnEventKey() {
        String key = WebhookStore.key(AlertEvent.RECORDING_GAP, "k3J9x_2Q", START);
        assertThat(WebhookStore.streamOf(key)).isEqualTo("k3J9x_2Q");
        assertThat(WebhookStore.streamOf("nonsense")).isEmpty();
    }
}
