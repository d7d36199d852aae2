package io.picam.relay.cluster;

import java.util.Map;

/**
 * A signed control message from another instance that {@link RedisCluster} does not act on itself (its own job
 * is media and presence): fired as a CDI event so that whoever carries that kind of change picks it up.
 */
record ControlMessage(Map<String, String> fields) {

    String type() {
        return String.valueOf(fields.get("t"));
    }

    String get(String field) {
        return fields.get(field);
    }
}
