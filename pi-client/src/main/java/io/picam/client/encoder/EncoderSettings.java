package io.picam.client.encoder;

import java.util.Locale;
import java.util.Optional;

/** What to encode, and how; built from the command line and the config file. */
public record EncoderSettings(
        Source source,
        String format,
        String device,
        int width,
        int height,
        int fps,
        String bitrate,
        Optional<String> audio,
        String encoderBinary,
        String rpicamBinary,
        boolean flip) {

    public boolean fmp4() {
        return format.equals("fmp4");
    }

    public String contentType() {
        return fmp4() ? "video/mp4" : "video/mp2t";
    }

    /** The bitrate in bits per second, from "2M", "800k" or "1500000". */
    public long bitsPerSecond() {
        String b = bitrate.trim().toUpperCase(Locale.ROOT);
        double factor = b.endsWith("M") ? 1e6 : b.endsWith("K") ? 1e3 : 1;
        String number = factor == 1 ? b : b.substring(0, b.length() - 1);
        return (long) (Double.parseDouble(number) * factor);
    }
}
