package io.picam.relay.stream;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.picam.media.ContainerFramer;
import io.picam.media.MediaFormatException;
import io.picam.media.fmp4.Fmp4Framer;
import io.picam.media.ts.TsFramer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The two playback formats of the contract, with the ingest Content-Type each one requires. */
public enum StreamFormat {
    MPEGTS("mpegts", "video/mp2t"),
    FMP4("fmp4", "video/mp4");

    private final String id;
    private final String contentType;

    StreamFormat(String id, String contentType) {
        this.id = id;
        this.contentType = contentType;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public String contentType() {
        return contentType;
    }

    /** Whether an ingest request's Content-Type header (parameters ignored) declares this format. */
    public boolean accepts(String contentTypeHeader) {
        if (contentTypeHeader == null) {
            return false;
        }
        String mediaType = contentTypeHeader.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals(contentType);
    }

    /** A framer checking and splitting this container into join-point-aligned segments. */
    public ContainerFramer newFramer() {
        return this == MPEGTS ? new TsFramer() : new Fmp4Framer();
    }

    /** The MIME type with codecs that a browser's MediaSource needs, from an fMP4 init segment. */
    public String mimeType(byte[] init) {
        if (this != FMP4) {
            return null;
        }
        try {
            return Fmp4Framer.mimeTypeOf(init);
        } catch (MediaFormatException e) {
            return contentType; // cannot happen for an init the framer produced; play without codecs then
        }
    }

    @JsonCreator
    public static StreamFormat fromId(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("format must be one of: mpegts, fmp4"));
    }

    public static Optional<StreamFormat> find(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }
}
