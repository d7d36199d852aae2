package io.picam.relay.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StreamsResourceTest {

    @Inject
    TestAccounts accounts;

    @Test
    void anonymousCallersGet401() {
        given().get("/api/streams").then().statusCode(401);
    }

    @Test
    void viewersSeeOnlyWhatTheyAreGrantedAndAdminsSeeEverything() {
        StreamCatalog.Created granted = accounts.newStream(StreamFormat.MPEGTS);
        StreamCatalog.Created other = accounts.newStream(StreamFormat.FMP4);
        String viewer = accounts.newViewer();
        String session = Sessions.login(viewer, TestAccounts.PASSWORD);

        given().cookie(Sessions.COOKIE, session)
                .get("/api/streams")
                .then()
                .statusCode(200)
                .body("$", empty());

        accounts.grant(granted.stream().id(), viewer);
        given().cookie(Sessions.COOKIE, session)
                .get("/api/streams")
                .then()
                .statusCode(200)
                .body("id", equalTo(List.of(granted.stream().id())))
                .body("[0].name", equalTo(granted.stream().name()))
                .body("[0].format", equalTo("mpegts"))
                .body("[0].live", equalTo(false))
                .body("[0].viewers", equalTo(0))
                .body("[0].bitrate", equalTo(0))
                .body("[0]", not(Matchers.hasKey("secret")));

        given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/api/streams")
                .then()
                .statusCode(200)
                .body("id", hasItem(granted.stream().id()))
                .body("id", hasItem(other.stream().id()));
    }
}
