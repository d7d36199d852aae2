package io.picam.client.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The commands' {@link RootTrust}: this process's uid and the real file system. */
public class RootTrustProducer {

    @Produces
    @Singleton
    RootTrust rootTrust() {
        return RootTrust.forThisProcess();
    }
}
