package io.picam.relay.alerts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What a webhook can be told about. */
public enum AlertEvent {
    CAMERA_OFFLINE("camera.offline", "is offline"),
    CAMERA_ONLINE("camera.online", "is back online"),
    CAMERA_SECRET_ROTATED("camera.secret_rotated", "got a new secret: its Pi needs it to publish again"),
    RECORDING_GAP("recording.gap", "was not recorded for a while: the recordings store did not keep up");

    private final String id;
    private final String sentence;

    AlertEvent(String id, String sentence) {
        this.id = id;
        this.sentence = sentence;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** What happened to the camera, for people: "Camera Garden is offline". */
    String sentence() {
        return sentence;
    }

    public static Optional<AlertEvent> of(String id) {
        return Arrays.stream(values()).filter(e -> e.id.equals(id)).findFirst();
    }
}
