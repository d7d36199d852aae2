package io.picam.client.encoder;

/** Where the picture comes from. */
public enum Source {
    /** The Pi camera through rpicam-vid (libcamera-vid on older Pi OS): hardware H.264. */
    RPICAM,
    /** A V4L2 device (USB camera, or the legacy camera stack) read by ffmpeg or avconv. */
    V4L2,
    /** ffmpeg's test pattern, for demos and tests. */
    TEST
}
