package io.picam.client.upload;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP/1.1 answer as the client needs it: the status and the start of the body (a reason for the log). Read from
 * a socket's input as soon as it comes, whatever the request is doing meanwhile; the body ends by Content-Length,
 * chunked framing or the connection's end, and is kept only up to {@link #BODY_CAP} bytes, so an answer never makes
 * the client wait for a proxy that keeps the connection open once the body it announced has come.
 */
public record HttpAnswer(int status, String body) {

    static final int BODY_CAP = 4096;
    private static final int LINE_CAP = 8192;
    private static final int HEADERS_CAP = 100;

    /** Reads one final answer (a 1xx before it is skipped); EOFException when the connection ends before one. */
    public static HttpAnswer read(InputStream in) throws IOException {
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new EOFException("connection closed");
            }
            int status = status(statusLine);
            long length = -1;
            boolean chunked = false;
            int headers = 0;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                if (++headers > HEADERS_CAP) {
                    throw new IOException("too many headers in the answer");
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    length = number(value, 10, "Content-Length");
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                }
            }
            if (status >= 100 && status < 200) {
                continue; // 100 Continue and the like: the real answer follows
            }
            byte[] body;
            if (status == 204 || status == 304) {
                body = new byte[0];
            } else if (chunked) {
                body = chunkedBody(in);
            } else {
                body = upTo(in, length < 0 ? BODY_CAP : Math.min(length, BODY_CAP));
            }
            return new HttpAnswer(status, new String(body, StandardCharsets.UTF_8).trim());
        }
    }

    private static int status(String line) throws IOException {
        // HTTP/1.1 503 Service Unavailable
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || parts[1].length() != 3) {
            throw new IOException("not an HTTP answer: " + abbreviate(line));
        }
        return (int) number(parts[1], 10, "status");
    }

    private static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < BODY_CAP) {
            String size = line(in);
            if (size == null) {
                break; // ended early: what came is still the reason
            }
            int semicolon = size.indexOf(';');
            long n = number((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16, "chunk size");
            if (n == 0) {
                break; // trailers, if any, do not matter: the connection is dropped after the answer
            }
            byte[] part = upTo(in, Math.min(n, BODY_CAP - body.size()));
            body.write(part);
            if (part.length < n) {
                break; // capped, or the connection ended
            }
            line(in); // the CRLF after the chunk's data
        }
        return body.toByteArray();
    }

    /** Up to max bytes, fewer when the connection ends first. */
    private static byte[] upTo(InputStream in, long max) throws IOException {
        return in.readNBytes((int) max);
    }

    /** One line without its CRLF (or bare LF); null at the end of the stream before any byte of it. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= LINE_CAP) {
                throw new IOException("line too long in the answer");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static long number(String text, int radix, String what) throws IOException {
        try {
            long n = Long.parseLong(text, radix);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("bad " + what + " in the answer: " + abbreviate(text));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
