package io.picam.client.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The upload's outcome as the streamer reads it, against a raw server on loopback. */
class RelayUploadTest {

    @Test
    void theRequestHeadCarriesTheStreamTheSecretAndTheFormat() throws Exception {
        try (RawServer server = new RawServer(64 * 1024)) {
            RelayUpload upload = new RelayUpload();
            upload.open(server.uri("/relay/ingest/cam-1"), "s3cret", "video/mp4");
            try {
                assertThat(server.readHead().split("\r\n"))
                        .containsExactlyInAnyOrder(
                                "POST /relay/ingest/cam-1 HTTP/1.1",
                                "Host: " + server.uri("").getAuthority(),
                                "Authorization: Bearer s3cret",
                                "Content-Type: video/mp4",
                                "Transfer-Encoding: chunked",
                                "Connection: close");
                assertThat(upload.write("moov".getBytes(StandardCharsets.US_ASCII)))
                        .isTrue();
                assertThat(new String(server.read(9), StandardCharsets.US_ASCII))
                        .isEqualTo("4\r\nmoov\r\n");
            } finally {
                upload.abort("done");
            }
        }
    }

    @Test
    void a503FromAProxyThatKeepsTheConnectionIsTheOutcomeAtOnce() throws Exception {
        try (RawServer server = new RawServer(64 * 1024)) {
            RelayUpload upload = new RelayUpload();
            upload.open(server.uri("/ingest/cam"), "s3cret", "video/mp2t");
            try {
                server.readHead();
                server.drain();
                assertThat(upload.write(new byte[188])).isTrue();
                server.answer("HTTP/1.1 503 Service Unavailable\r\nConnection: keep-alive\r\nContent-Length: 17\r\n\r\n"
                        + "Application Error");

                assertThat(upload.outcome().get(10, TimeUnit.SECONDS))
                        .isEqualTo(new RelayUpload.Outcome(503, "Application Error"));
                assertThat(upload.write(new byte[188])).isFalse();
            } finally {
                upload.abort("ended");
            }
        }
    }

    @Test
    void aRefusalWithAChunkedBodyGivesTheRelaysReason() throws Exception {
        try (RawServer server = new RawServer(64 * 1024)) {
            RelayUpload upload = new RelayUpload();
            upload.open(server.uri("/ingest/cam"), "wrong", "video/mp2t");
            try {
                server.readHead();
                server.answer("HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "7\r\nunknown\r\n11\r\n stream or secret\r\n0\r\n\r\n");

                assertThat(upload.outcome().get(10, TimeUnit.SECONDS))
                        .isEqualTo(new RelayUpload.Outcome(401, "unknown stream or secret"));
            } finally {
                upload.abort("ended");
            }
        }
    }

    @Test
    void abortEndsTheUploadWithItsReason() throws Exception {
        try (RawServer server = new RawServer(64 * 1024)) {
            RelayUpload upload = new RelayUpload();
            upload.open(server.uri("/ingest/cam"), "s3cret", "video/mp2t");
            server.readHead();
            upload.abort("no progress for 15 s");

            assertThat(upload.outcome().getNow(null)).isEqualTo(new RelayUpload.Outcome(0, "no progress for 15 s"));
            assertThat(upload.write(new byte[188])).isFalse();
            assertThat(server.connection().getInputStream().read())
                    .as("the connection is closed")
                    .isEqualTo(-1);
        }
    }

    @Test
    void aRelayThatIsNotThereFailsTheOpen() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RelayUpload upload = new RelayUpload();
        assertThatThrownBy(() -> upload.open(URI.create("http://127.0.0.1:" + port + "/ingest/cam"), "s", "video/mp4"))
                .hasMessageContaining("Connection refused");
    }
}
