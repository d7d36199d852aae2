package io.picam.relay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picam.relay.cluster.InstanceReport.StreamReport;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report each instance writes under its presence key: readable JSON, read back strictly but tolerantly. */
class InstanceReportTest {

    @Test
    void aReportIsReadableJsonAndReadsBackTheSame() throws IOException {
        InstanceReport report = new InstanceReport(Map.of("cam1", new StreamReport(true, 2, 1_200_000)));
        assertThat(report.toJson())
                .isEqualTo("{\"streams\":{\"cam1\":{\"publishing\":true,\"viewers\":2,\"bitrate\":1200000}}}");
        assertThat(InstanceReport.parse(report.toJson())).isEqualTo(report);
    }

    @Test
    void fieldsANewerInstanceAddsAreIgnored() throws IOException {
        InstanceReport report = InstanceReport.parse(
                "{\"streams\":{\"cam1\":{\"publishing\":false,\"viewers\":3,\"bitrate\":0,\"codec\":\"av1\"}},\"zone\":\"eu\"}");
        assertThat(report.streams()).containsEntry("cam1", new StreamReport(false, 3, 0));
    }

    @Test
    void whatIsNoReportIsRefusedWithAnIoException() {
        for (String json : new String[] {
            "",
            "null",
            "[1,0,2]",
            "{\"s\":{\"cam1\":[1,0,2]}}",
            "{\"streams\":{\"cam1\":[1,0,2]}}",
            "{\"streams\":{\"cam1\":{\"publishing\":true}}}",
            "not json"
        }) {
            assertThatThrownBy(() -> InstanceReport.parse(json)).as(json).isInstanceOf(IOException.class);
        }
    }
}
