package io.picam.relay.cluster;

import java.util.Map;

/** Publishes a control message to every other instance; does nothing without Redis. Never blocks. */
interface ControlChannel {

    void send(Map<String, String> message);
}
