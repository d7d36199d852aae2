package io.picam.relay.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.picam.relay.support.Sessions;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every state change the API describes, made with the session cookie and without the page's CSRF token, is
 * refused with 403: one case per non-GET operation of the OpenAPI document, so that an endpoint added later is
 * checked without anyone remembering to.
 */
@QuarkusTest
class CsrfFilterTest {

    private static final Set<String> CHANGES = Set.of("post", "put", "patch", "delete");

    /** One state change of the API; {@code contentType}: what its body is, as the document says. */
    record Operation(String method, String path, String contentType) {

        boolean form() {
            return contentType.equals("application/x-www-form-urlencoded");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCookieAuthenticatedChangeWithoutTheTokenIsRefused() throws Exception {
        List<Operation> operations = changesInTheOpenApiDocument();
        assertThat(operations)
                .as("the API's state changes")
                .hasSizeGreaterThan(10)
                .extracting(op -> op.method() + " " + op.path())
                .contains(
                        "POST /api/admin/streams",
                        "DELETE /api/sessions/{id}",
                        "POST /logout",
                        "POST /api/admin/streams/{id}/links",
                        "DELETE /api/admin/links/{id}",
                        "PATCH /api/admin/streams/{id}",
                        "POST /api/streams/{id}/links",
                        "DELETE /api/links/{id}");
        String admin = Sessions.admin();
        String forged = given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/api/me")
                .then()
                .extract()
                .path("csrfToken");
        return operations.stream()
                .map(op -> DynamicTest.dynamicTest(op.method() + " " + op.path(), () -> {
                    String path = op.path().replaceAll("\\{[^}]+}", "csrf-probe");
                    if (op.form()) { // a plain form (/logout) carries the token in a field
                        given().cookie(Sessions.COOKIE, admin)
                                .contentType(op.contentType())
                                .formParam("other", "x")
                                .request(op.method(), path)
                                .then()
                                .statusCode(403);
                        given().cookie(Sessions.COOKIE, admin)
                                .contentType(op.contentType())
                                .formParam(CsrfTokens.FORM_FIELD, forged)
                                .request(op.method(), path)
                                .then()
                                .statusCode(403);
                    } else {
                        given().cookie(Sessions.COOKIE, admin)
                                .contentType(op.contentType())
                                .body("{}")
                                .request(op.method(), path)
                                .then()
                                .statusCode(403)
                                .body("detail", containsString(CsrfTokens.HEADER));
                        // the token of another session (the same user's, even) does not fit this one
                        given().cookie(Sessions.COOKIE, admin)
                                .header(CsrfTokens.HEADER, forged)
                                .contentType(op.contentType())
                                .body("{}")
                                .request(op.method(), path)
                                .then()
                                .statusCode(403);
                    }
                    given().cookie(Sessions.COOKIE, admin)
                            .get("/api/me")
                            .then()
                            .statusCode(200); // and the session lives on
                }));
    }

    private static List<Operation> changesInTheOpenApiDocument() throws Exception {
        String document = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths =
                new ObjectMapper().readTree(document).path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (CHANGES.contains(method)) {
                    Iterator<String> types = path.getValue()
                            .path(method)
                            .path("requestBody")
                            .path("content")
                            .fieldNames();
                    operations.add(new Operation(
                            method.toUpperCase(), path.getKey(), types.hasNext() ? types.next() : "application/json"));
                }
            });
        }
        return operations;
    }
}
