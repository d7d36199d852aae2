package io.picam.relay.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The API description scripts are written from: every endpoint of the contract is in it. */
@QuarkusTest
class OpenApiTest {

    @Test
    void everyApiEndpointIsDescribed() {
        var spec = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200);
        for (String path : new String[] {
            "/api/streams",
            "/api/me",
            "/api/tokens",
            "/api/tokens/{id}",
            "/api/admin/users",
            "/api/admin/users/{username}",
            "/api/admin/streams",
            "/api/admin/streams/{id}",
            "/api/admin/streams/{id}/secret",
            "/api/admin/streams/{id}/viewers/{username}",
            "/api/admin/audit",
            "/api/admin/streams/{id}/links",
            "/api/admin/links/{id}",
            "/api/streams/{id}/links",
            "/api/links/{id}"
        }) {
            spec.body("paths.'" + path + "'", notNullValue());
        }
        spec.body("paths.'/api/admin/streams/{id}/links'.post.summary", containsString("shown only this once"))
                .body("paths.'/api/streams/{id}/links'.post.summary", containsString("shown only this once"))
                .body("paths.'/api/admin/streams/{id}'.patch.summary", containsString("viewersMayShare"))
                .body("paths.'/s/{token}'", nullValue()); // a page, not the API
        spec.body("paths.'/api/admin/streams/{id}/secret'.post.summary", containsString("shown once"))
                .body("info.description", containsString("X-CSRF-Token"));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
