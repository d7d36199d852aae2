package io.picam.relay.cluster;

import io.picam.relay.security.LocalLoginCounter;
import io.picam.relay.security.LoginBlocked;
import io.picam.relay.security.LoginCounter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Which {@link LoginCounter} this relay uses: with REDIS_URL failures count across instances, else only here. */
@Singleton
class LoginCounters {

    @Produces
    @ApplicationScoped
    LoginCounter loginCounter(RedisLinks links, Event<LoginBlocked> blocked) {
        return links.configured() ? new RedisLoginCounter(links, blocked) : new LocalLoginCounter();
    }
}
