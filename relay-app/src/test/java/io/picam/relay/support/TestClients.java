package io.picam.relay.support;

import io.vertx.core.Vertx;

/** One Vert.x for the tests' own clients, apart from the relay's. */
final class TestClients {

    static final Vertx VERTX = Vertx.vertx();

    private TestClients() {}
}
