package io.picam.client.upload;

/** What the uploader has done so far, for the status line. */
public record StreamStats(State state, long bytesSent, long reconnects, long drops, String lastError) {

    public enum State {
        STARTING("starting"),
        CONNECTING("connecting"),
        STREAMING("streaming"),
        WAITING("waiting to reconnect");

        private final String label;

        State(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }
}
