package io.picam.client.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading an answer: how its body ends, what is skipped, what is refused. */
class HttpAnswerTest {

    private static HttpAnswer read(String raw) throws IOException {
        return HttpAnswer.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aBodyByContentLengthStopsThereEvenIfMoreFollows() throws Exception {
        assertThat(read("HTTP/1.1 409 Conflict\r\nContent-Length: 8\r\n\r\nconflictHTTP/1.1 200 OK"))
                .isEqualTo(new HttpAnswer(409, "conflict"));
    }

    @Test
    void aChunkedBodyIsDecodedAndABodyWithoutLengthRunsToTheEnd() throws Exception {
        assertThat(read("HTTP/1.1 400 Bad Request\r\ntransfer-encoding: chunked\r\n\r\n"
                        + "4;ext=1\r\nnot \r\nA\r\nMPEG-TS...\r\n0\r\n\r\n"))
                .isEqualTo(new HttpAnswer(400, "not MPEG-TS..."));
        assertThat(read("HTTP/1.0 503 Service Unavailable\n\nApplication Error\n"))
                .isEqualTo(new HttpAnswer(503, "Application Error"));
    }

    @Test
    void aLongBodyIsCutAtTheCapWithoutReadingOn() throws Exception {
        InputStream endless = new InputStream() {
            private final byte[] head = "HTTP/1.1 500 Oops\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            private int at;

            @Override
            public int read() {
                return at < head.length ? head[at++] : 'x';
            }
        };
        assertThat(HttpAnswer.read(endless).body()).hasSize(HttpAnswer.BODY_CAP);
    }

    @Test
    void a100ContinueIsSkipped() throws Exception {
        assertThat(read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"))
                .isEqualTo(new HttpAnswer(401, ""));
    }

    @Test
    void noAnswerOrGarbageIsAnError() {
        assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class).hasMessage("connection closed");
        assertThatThrownBy(() -> read("SSH-2.0-OpenSSH_9.6\r\n\r\n"))
                .isInstanceOf(IOException.class)
                .hasMessage("not an HTTP answer: SSH-2.0-OpenSSH_9.6");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n"))
                .hasMessage("bad Content-Length in the answer: lots");
    }
}
