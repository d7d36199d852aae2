package io.picam.relay.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Logging in through the real form login, as a browser does. */
public final class Sessions {

    public static final String COOKIE = "picam-session";

    private Sessions() {}

    /** The session cookie's value after a successful login. */
    public static String login(String username, String password) {
        return given().redirects()
                .follow(false)
                .formParam("j_username", username)
                .formParam("j_password", password)
                .post("/j_security_check")
                .then()
                .statusCode(302)
                .extract()
                .cookie(COOKIE);
    }

    /** A login from {@code address} (the tests trust one proxy hop, so X-Forwarded-For names the client). */
    public static Response attempt(String username, String password, String address) {
        return given().redirects()
                .follow(false)
                .header("X-Forwarded-For", address)
                .formParam("j_username", username)
                .formParam("j_password", password)
                .post("/j_security_check");
    }

    /** Logs out through the page's form, with its CSRF field. */
    public static void logout(String session) {
        String csrf = given().cookie(COOKIE, session)
                .get("/api/me")
                .then()
                .statusCode(200)
                .extract()
                .path("csrfToken");
        given().redirects()
                .follow(false)
                .cookie(COOKIE, session)
                .formParam("csrf", csrf)
                .post("/logout")
                .then()
                .statusCode(303);
    }

    /** A request as the user's page makes it: the session cookie and the page's CSRF token (from {@code /api/me}). */
    public static RequestSpecification page(String session) {
        String csrf = given().cookie(COOKIE, session)
                .get("/api/me")
                .then()
                .statusCode(200)
                .extract()
                .path("csrfToken");
        return given().cookie(COOKIE, session).header("X-CSRF-Token", csrf);
    }

    public static String admin() {
        return admin(TestAccounts.ADMIN_PASSWORD);
    }

    public static String admin(String password) {
        return login(TestAccounts.ADMIN, password);
    }
}
