package io.picam.relay.cluster;

/** Publishes a control message to every other instance; does nothing without Redis. Never blocks. */
interface ControlChannel {

    void send(ControlMessage message);
}
