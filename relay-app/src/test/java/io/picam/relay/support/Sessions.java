package io.picam.relay.support;

import static io.restassured.RestAssured.given;

/** Logging in through the real form login, as a browser does. */
public final class Sessions {

    public static final String COOKIE = "picam-session";

    private Sessions() {
    }

    /** The session cookie's value after a successful login. */
    public static String login(String username, String password) {
        return given().redirects().follow(false)
                .formParam("j_username", username)
                .formParam("j_password", password)
                .post("/j_security_check")
                .then().statusCode(302)
                .extract().cookie(COOKIE);
    }

    public static String admin() {
        return login(TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD);
    }
}
