package io.picam.relay.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.picam.relay.support.TestPublisher;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PageResourceTest {

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI relay;

    @Test
    void theLoginPagePostsToFormLogin() {
        given().get("/login")
                .then()
                .statusCode(200)
                .body(containsString("action=\"/j_security_check\""))
                .body(containsString("name=\"j_username\""))
                .body(containsString("name=\"j_password\""))
                .body(not(containsString("Wrong username")));
        given().get("/login?error=1").then().statusCode(200).body(containsString("Wrong username or password."));
    }

    @Test
    void aVisitorWhoseSessionEndedIsToldSo() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/login"));
        // a login cookie the relay cannot read any more: expired, or made under another session key
        given().redirects()
                .follow(false)
                .cookie(Sessions.COOKIE, "expired-or-foreign")
                .get("/streams/x")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/login?expired=1"));
        given().get("/login?expired=1").then().statusCode(200).body(containsString("Your session has ended"));
        given().get("/login").then().statusCode(200).body(not(containsString("Your session has ended")));
    }

    @Test
    void unknownAddressesGetOurOwnPageOrJson() {
        given().accept("text/html,application/xhtml+xml")
                .get("/no/such/page")
                .then()
                .statusCode(404)
                .contentType(startsWith("text/html"))
                .body(containsString("Page not found"))
                .body(containsString("Back to your cameras"));
        given().cookie(Sessions.COOKIE, Sessions.admin())
                .accept("application/json")
                .get("/api/no-such-thing")
                .then()
                .statusCode(404)
                .body("status", Matchers.equalTo(404));
    }

    @Test
    void unknownUserAndWrongPasswordLookIdentical() {
        Response wrongPassword = given().redirects()
                .follow(false)
                .formParam("j_username", TestAccounts.ADMIN)
                .formParam("j_password", "not-it")
                .post("/j_security_check");
        Response unknownUser = given().redirects()
                .follow(false)
                .formParam("j_username", "nobody-here")
                .formParam("j_password", "not-it")
                .post("/j_security_check");
        for (Response r : new Response[] {wrongPassword, unknownUser}) {
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.header("Location")).endsWith("/login?error=1");
            assertThat(r.cookie(Sessions.COOKIE)).isNull();
        }
        assertThat(wrongPassword.body().asString()).isEqualTo(unknownUser.body().asString());
    }

    @Test
    void aLoginSetsAnHttpOnlySameSiteCookieAndLogoutForgetsIt() {
        Response login = given().redirects()
                .follow(false)
                .formParam("j_username", TestAccounts.ADMIN)
                .formParam("j_password", TestAccounts.ADMIN_PASSWORD)
                .post("/j_security_check");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.header("Location")).endsWith("/");
        String setCookie = login.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Sessions.COOKIE + "="))
                .findFirst()
                .orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
        String session = login.cookie(Sessions.COOKIE);

        given().cookie(Sessions.COOKIE, session)
                .redirects()
                .follow(false)
                .get("/")
                .then()
                .statusCode(200)
                .body(containsString(TestAccounts.ADMIN));
        given().cookie(Sessions.COOKIE, session)
                .redirects()
                .follow(false)
                .formParam("csrf", "forged")
                .post("/logout")
                .then()
                .statusCode(403);
        String page = given().cookie(Sessions.COOKIE, session)
                .get("/")
                .then()
                .extract()
                .asString();
        String csrf = page.replaceFirst("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        Response logout = given().cookie(Sessions.COOKIE, session)
                .redirects()
                .follow(false)
                .formParam("csrf", csrf)
                .post("/logout");
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.header("Location")).endsWith("/login");
        assertThat(logout.headers().getValues("Set-Cookie"))
                .anyMatch(c -> c.startsWith(Sessions.COOKIE + "=;") && c.contains("Max-Age=0"));
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/login"));
        given().redirects()
                .follow(false)
                .get("/streams/anything")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/login"));
    }

    @Test
    void theStreamListAndThePlayerShowWhatTheUserMayWatch() {
        StreamCatalog.Created granted = accounts.newStream(StreamFormat.MPEGTS);
        StreamCatalog.Created hidden = accounts.newStream(StreamFormat.MPEGTS);
        String viewer = accounts.newViewer();
        accounts.grant(granted.stream().id(), viewer);
        String session = Sessions.login(viewer, TestAccounts.PASSWORD);

        given().cookie(Sessions.COOKIE, session)
                .get("/")
                .then()
                .statusCode(200)
                .body(containsString("/streams/" + granted.stream().id()))
                .body(containsString(granted.stream().name()))
                .body(not(containsString(hidden.stream().id())))
                .body(containsString("offline"));
        given().cookie(Sessions.COOKIE, session)
                .get("/streams/{id}", granted.stream().id())
                .then()
                .statusCode(200)
                .body(containsString("data-stream=\"" + granted.stream().id() + "\""))
                .body(containsString("/vendor/jsmpeg/jsmpeg-player.umd.min.js"))
                .body(containsString("/static/player.js"));
        given().cookie(Sessions.COOKIE, session)
                .get("/streams/{id}", hidden.stream().id())
                .then()
                .statusCode(403)
                .body(containsString("No access"));
    }

    @Test
    void aLiveCameraWithoutAStillShowsALiveTileAndNoPictureYetIsOnlyForOfflineOnes() {
        StreamCatalog.Created live = accounts.newStream(StreamFormat.MPEGTS);
        StreamCatalog.Created offline = accounts.newStream(StreamFormat.MPEGTS);
        String admin = Sessions.admin();
        try (TestPublisher publisher = TestPublisher.open(relay, live.stream().id(), live.secret())) {
            publisher.write(TestMedia.tsClip(), 16 * 1024);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tile(
                                    given().cookie(Sessions.COOKIE, admin)
                                            .get("/")
                                            .asString(),
                                    live.stream().id())
                            .contains("badge live"));
            String page = given().cookie(Sessions.COOKIE, admin).get("/").asString();
            assertThat(tile(page, live.stream().id())).contains("Live now").doesNotContain("No picture yet");
            assertThat(tile(page, offline.stream().id()))
                    .contains("No picture yet")
                    .doesNotContain("Live now");
        }
    }

    /** The camera list's item of one stream. */
    private static String tile(String page, String streamId) {
        Matcher item = Pattern.compile(
                        "(?s)<li class=\"card stream\" data-stream=\"" + Pattern.quote(streamId) + "\"[^>]*>.*?</li>")
                .matcher(page);
        assertThat(item.find()).as("the camera list shows " + streamId).isTrue();
        return item.group();
    }

    @Test
    void thePlayerLinksBackToTheCameraList() {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.FMP4);
        given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/streams/{id}", stream.stream().id())
                .then()
                .statusCode(200)
                .body(containsString("<a class=\"back\" href=\"/\">"))
                .body(containsString("All cameras</a>"));
    }

    @Test
    void everyPageHeaderLinksToTheAccountPageByName() {
        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        for (String session : new String[] {Sessions.admin(), viewer}) {
            given().cookie(Sessions.COOKIE, session)
                    .get("/")
                    .then()
                    .statusCode(200)
                    .body(Matchers.matchesPattern(
                            "(?s).*<a class=\"who\" href=\"/account\"[^>]*>.*?Account</span></a>.*"));
        }
    }

    @Test
    void namesAreEscapedInPages() {
        String admin = Sessions.admin();
        String id = Sessions.page(admin)
                .contentType("application/json")
                .body("{\"name\":\"<script>alert(1)</script>\",\"format\":\"mpegts\"}")
                .post("/api/admin/streams")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().cookie(Sessions.COOKIE, admin)
                .get("/streams/{id}", id)
                .then()
                .statusCode(200)
                .body(not(containsString("<script>alert(1)</script>")))
                .body(containsString("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    void jsmpegIsServedFromTheBuild() {
        given().get("/vendor/jsmpeg/jsmpeg-player.umd.min.js")
                .then()
                .statusCode(200)
                .body(containsString("JSMpeg"));
        given().get("/static/player.js").then().statusCode(200).body(containsString("LiveSocket"));
    }

    @Test
    void theAdminPageIsForAdminsOnly() {
        given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/admin")
                .then()
                .statusCode(200)
                .body(containsString("/static/admin.js"))
                .body(containsString("<meta name=\"csrf-token\""))
                .body(containsString("Audit log"))
                .body(containsString("<select id=\"audit-kind\""))
                .body(containsString("<option value=\"refused\">"));
        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        given().cookie(Sessions.COOKIE, viewer)
                .get("/admin")
                .then()
                .statusCode(403)
                .body(containsString("Only administrators"));
        given().redirects().follow(false).get("/admin").then().statusCode(303).header("Location", endsWith("/login"));
    }
}
