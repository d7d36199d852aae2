package io.picam.relay.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestMedia;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.support.ui.Select;

/**
 * What a person sees, in a real browser: Debian's headless Chromium against the packaged relay, with real ffmpeg
 * publishers. Frames must really render and change. The pictures it takes go to {@code docs/screenshots/}.
 * The tests share the relay, its two cameras and its users, but hold in any order: each logs in afresh, makes the
 * users and streams it changes, and a test that stops a camera starts it again.
 */
class BrowserIT {

    private static final String ADMIN_PASSWORD = "browser-admin-password";
    private static final String VIEWER = "alice";
    private static final String STRANGER = "bob";
    private static final String PASSWORD = "viewer-password-1";

    private static ProcfileRelay relay;
    private static String tsStream;
    private static String tsSecret;
    private static String h264Stream;
    private static Process tsPublisher;
    private static Process h264Publisher;
    private Browser browser;

    @BeforeAll
    static void startRelayAndCameras() throws Exception {
        if (!Browser.installed()) {
            // every test is then reported as skipped, by name, in Maven's summary (see assumeBrowser)
            System.err.println("\n*** BrowserIT: the browser tests do not run: apt-get install " + Browser.missing()
                    + " (.ci/run does) ***\n");
            return;
        }
        Path data = Files.createTempDirectory("picam-it-browser");
        relay = new ProcfileRelay(Map.of(
                "PICAM_ADMIN_PASSWORD",
                ADMIN_PASSWORD,
                "PICAM_DATA_DIR",
                data.toString(),
                "QUARKUS_HTTP_HOST",
                "127.0.0.1",
                "PICAM_RECORDING_SEGMENT",
                "2S"));
        relay.start();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = relay.port();

        String admin = Sessions.admin(ADMIN_PASSWORD);
        Response ts = createStream(admin, "Garden", "mpegts");
        tsStream = ts.path("id");
        tsSecret = ts.path("secret");
        Response h264 = createStream(admin, "Driveway", "fmp4");
        h264Stream = h264.path("id");
        String h264Secret = h264.path("secret");
        for (String user : List.of(VIEWER, STRANGER)) {
            createViewer(admin, user);
        }
        Sessions.page(admin)
                .put("/api/admin/streams/{id}/viewers/{user}", tsStream, VIEWER)
                .then()
                .statusCode(204);
        for (String recorded : List.of(h264Stream, tsStream)) {
            Sessions.page(admin)
                    .contentType(ContentType.JSON)
                    .body("{\"enabled\":true}")
                    .put("/api/admin/streams/{id}/recording", recorded)
                    .then()
                    .statusCode(200);
        }
        tsPublisher = publishTs();
        h264Publisher = TestMedia.publishFmp4WithFfmpeg(
                relay.port(),
                h264Stream,
                h264Secret,
                900,
                Files.createTempFile("browser-h264", ".log"),
                true); // with sound
    }

    private static void createViewer(String admin, String user) {
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"viewer\"]}")
                .post("/api/admin/users")
                .then()
                .statusCode(201);
    }

    private static Response createStream(String admin, String name, String format) {
        Response created = Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"format\":\"" + format + "\"}")
                .post("/api/admin/streams");
        created.then().statusCode(201);
        return created;
    }

    private static Process publishTs() throws Exception {
        return TestMedia.publishWithFfmpeg(
                relay.port(), tsStream, tsSecret, 900, Files.createTempFile("browser-ts", ".log"));
    }

    @AfterAll
    static void stopEverything() {
        for (Process p : new Process[] {tsPublisher, h264Publisher}) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        if (relay != null) {
            relay.close();
        }
        RestAssured.reset();
    }

    /** Reported per test as skipped, with the package to install, rather than a class that silently ran nothing. */
    @BeforeEach
    void assumeBrowser() {
        Assumptions.assumeTrue(Browser.installed(), () -> "skipped: install Debian's " + Browser.missing());
    }

    @AfterEach
    void noConsoleErrors() {
        if (browser != null) {
            try {
                assertThat(browser.consoleErrors())
                        .as("errors in the browser console")
                        .isEmpty();
            } finally {
                browser.close();
            }
        }
    }

    @Test
    void aPersonLogsInThroughThePageAndSeesTheirCamerasLive() throws Exception {
        browser = new Browser(relay.url("/"));
        browser.open("/");
        assertThat(browser.path())
                .as("anonymous visitors are sent to the login page")
                .isEqualTo("/login");
        browser.logIn("admin", "wrong-password-1");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.driver().getPageSource().contains("Wrong username or password"));
        logIn("admin", ADMIN_PASSWORD);
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> browser.findAll("#streams .badge.live").size() >= 2);
        assertThat(browser.find("#streams").getText()).contains("Garden").contains("Driveway");
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the camera list")
                .isEmpty();
    }

    @Test
    void anMpegTsStreamPlaysInJsmpegAndItsPictureMoves() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn(VIEWER, PASSWORD);
        browser.open("/streams/" + tsStream);
        WebElement picture = awaitPlaying();
        assertPictureMoves(picture);
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the player")
                .isEmpty();
        assertThat(browser.find("#mute").isDisplayed())
                .as("no sound control for a silent stream")
                .isFalse();
        browser.screenshot(relay.root(), "player-mpegts");
        // the camera list shows the relay's picture of it, and this browser keeps none of its own
        browser.open("/");
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> Browser.hasContent(
                        browser.pixels(browser.find("[data-stream='" + tsStream + "'] [data-role=preview] img"))));
        assertThat(
                        browser.script(
                                "return Object.keys(localStorage).filter(function (k) { return k.indexOf('picam.') === 0; }).length"))
                .isEqualTo(0L);
        browser.screenshot(relay.root(), "streams");
    }

    @Test
    void anH264StreamPlaysThroughMediaSourceExtensions() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn("admin", ADMIN_PASSWORD);
        browser.open("/streams/" + h264Stream);
        assertThat(
                        browser.script(
                                "return window.MediaSource ? MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.42C01E\"') : false"))
                .as("this Chromium plays H.264 through MSE")
                .isEqualTo(true);
        WebElement video = awaitPlaying();
        await().atMost(Duration.ofSeconds(15)).until(() -> currentTime() > 0.5);
        double before = currentTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> currentTime() > before + 1);
        assertPictureMoves(video);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> browser.find("#latency").isDisplayed());
        assertThat(browser.find("#latency").getText()).matches("\\d+\\.\\d s behind live");
        double behind = Double.parseDouble(browser.find("#latency").getText().split(" ")[0]);
        assertThat(behind).as("the player keeps close to the live edge").isLessThan(2.5);
        // the stream has sound: it starts muted (browsers allow only muted autoplay), one click unmutes it
        WebElement mute = browser.find("#mute");
        assertThat(mute.isDisplayed()).isTrue();
        assertThat(mute.getText()).isEqualTo("Unmute");
        assertThat(browser.script("return document.getElementById('video').muted"))
                .isEqualTo(true);
        mute.click();
        assertThat(browser.script("return document.getElementById('video').muted"))
                .isEqualTo(false);
        assertThat(mute.getText()).isEqualTo("Mute");
        assertThat(mute.getDomAttribute("aria-pressed")).isEqualTo("true");
        browser.find("#fullscreen").click();
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        browser.script("return document.fullscreenElement && document.fullscreenElement.id") != null);
        assertThat(browser.script("return document.fullscreenElement.id")).isEqualTo("stage");
        assertThat(browser.find("#fullscreen").getText()).isEqualTo("Exit full screen");
        browser.find("#fullscreen").sendKeys(Keys.ENTER); // the keyboard works as well as the mouse
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.script("return document.fullscreenElement") == null);
        browser.screenshot(relay.root(), "player-h264");
    }

    @Test
    void onAPhoneThePlayerFillsTheWidthWithoutScrollingSideways() throws Exception {
        browser = new Browser(relay.url("/"), 390, 844);
        logIn(VIEWER, PASSWORD);
        browser.open("/streams/" + tsStream);
        WebElement picture = awaitPlaying();
        long viewport = (Long) browser.script("return document.documentElement.clientWidth");
        assertThat((Long) browser.script("return document.documentElement.scrollWidth"))
                .isLessThanOrEqualTo(viewport);
        assertThat(picture.getRect().getWidth())
                .as("the picture spans the phone's width")
                .isGreaterThanOrEqualTo((int) viewport - 2);
        assertThat(browser.find("#fullscreen").isDisplayed()).isTrue();
        browser.screenshot(relay.root(), "phone");
    }

    @Test
    void anEndedSessionAndAnUnknownAddressGetClearPages() throws Exception {
        browser = new Browser(relay.url("/"));
        browser.open("/login");
        browser.driver().manage().addCookie(new Cookie(Sessions.COOKIE, "from-before-the-key-changed"));
        browser.open("/streams/" + tsStream);
        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.find("main").getText()).contains("Your session has ended");
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the login page")
                .isEmpty();
        logIn(VIEWER, PASSWORD);
        browser.open("/no/such/page");
        assertThat(browser.find("h1").getText()).isEqualTo("Page not found");
        browser.consoleErrors(); // the 404 of the page itself is its answer, not an error of the page
        browser.find("main a").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.path().equals("/"));
    }

    @Test
    void whenThePublisherStopsThePageSaysOfflineAndThePictureComesBackByItself() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn(VIEWER, PASSWORD);
        browser.open("/streams/" + tsStream);
        awaitPlaying();
        tsPublisher.destroy();
        try {
            awaitState("offline", Duration.ofSeconds(10));
            assertThat(browser.find("#badge").getDomProperty("textContent")).isEqualTo("offline");
            assertThat(browser.find("#overlay").getText()).contains("offline");
            browser.screenshot(relay.root(), "player-offline");
        } finally {
            tsPublisher = publishTs();
        }
        WebElement picture = awaitPlaying();
        assertThat(browser.find("#badge").getDomProperty("textContent")).isEqualTo("live");
        assertPictureMoves(picture);
    }

    @Test
    void theAdminPageCreatesACameraAndShowsItsSecretOnlyOnce() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn("admin", ADMIN_PASSWORD);
        browser.open("/admin");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#streams-body").getText().contains("Garden"));
        browser.find("#stream-name").sendKeys("Porch");
        browser.find("#new-stream button[type=submit]").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#secret-panel").isDisplayed());
        String secret = browser.find("#secret-value").getDomProperty("value");
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(browser.find("#setup-command").getDomProperty("value"))
                .contains("picam setup")
                .contains(secret);
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the admin page")
                .isEmpty();
        browser.screenshot(relay.root(), "admin");
        browser.driver().navigate().refresh();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#streams-body").getText().contains("Porch"));
        assertThat(browser.find("#secret-panel").isDisplayed()).isFalse();
        assertThat(browser.driver().getPageSource()).doesNotContain(secret);
    }

    @Test
    void aViewerWithoutAGrantSeesAClearRefusalAndOnlyTheirOwnCameras() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn(STRANGER, PASSWORD);
        assertThat(browser.find("main").getText()).contains("No cameras have been shared with you");
        browser.open("/streams/" + tsStream);
        assertThat(browser.find("h1").getText()).isEqualTo("No access");
        browser.screenshot(relay.root(), "refused");
        browser.consoleErrors(); // the 403 of the page itself is the expected answer, not an error of the page
    }

    @Test
    void loggingOutEndsTheVisit() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn(VIEWER, PASSWORD);
        browser.find("form.logout button").click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.path().equals("/login"));
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/login");
    }

    @Test
    void theAccountPageShowsSessionsEndsTheOthersAndMakesATokenShownOnce() throws Exception {
        String elsewhere = Sessions.login(VIEWER, PASSWORD); // another device
        browser = new Browser(relay.url("/"));
        logIn(VIEWER, PASSWORD);
        browser.find("header a.who").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.path().equals("/account")
                        && browser.find("#sessions-body").getText().contains("(this one)"));
        assertThat(browser.findAll("#sessions-body tr")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.findAll("input[name=scope][value=admin]"))
                .as("a viewer is offered no admin scope")
                .isEmpty();
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the account page")
                .isEmpty();

        browser.find("#end-others").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.findAll("#sessions-body tr").size() == 1);
        given().cookie(Sessions.COOKIE, elsewhere).get("/api/me").then().statusCode(401);

        browser.find("#token-name").sendKeys("Kitchen display");
        browser.find("#new-token button[type=submit]").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#token-panel").isDisplayed());
        String token = browser.find("#token-value").getDomProperty("value");
        assertThat(token).startsWith("picam_pat_");
        assertThat(browser.find("#token-setup-block").isDisplayed())
                .as("a token that cannot add cameras gets no setup line")
                .isFalse();
        given().auth().oauth2(token).get("/api/streams").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#tokens-body").getText().contains("Kitchen display"));
        browser.screenshot(relay.root(), "account");
        browser.driver().navigate().refresh();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#tokens-body").getText().contains("Kitchen display"));
        assertThat(browser.driver().getPageSource()).doesNotContain(token);
        browser.find("#tokens-body button.danger").click();
        browser.driver().switchTo().alert().accept();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !browser.find("#tokens-body").getText().contains("Kitchen display"));
        given().auth().oauth2(token).get("/api/streams").then().statusCode(401);
    }

    @Test
    void theCameraListShowsTheRelaysPicturesAndNoPictureYetOnlyForACameraNeverSeen() throws Exception {
        String attic =
                createStream(Sessions.admin(ADMIN_PASSWORD), "Attic", "mpegts").path("id"); // never published
        browser = new Browser(relay.url("/")); // a fresh browser: it never saw any camera
        logIn("admin", ADMIN_PASSWORD);
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> browser.find("[data-stream='" + tsStream + "'] .badge")
                        .getText()
                        .equalsIgnoreCase("live"));
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> Browser.hasContent(
                        browser.pixels(browser.find("[data-stream='" + tsStream + "'] [data-role=preview] img"))));
        assertThat(browser.find("[data-stream='" + attic + "'] [data-role=preview]")
                        .getText())
                .as("an offline camera never seen")
                .isEqualTo("No picture yet");
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the camera list with its tiles")
                .isEmpty();
    }

    @Test
    void onALaptopThePlayersControlsAreOnTheFirstScreenAndALinkLeadsBackToTheList() throws Exception {
        browser = new Browser(relay.url("/"), 1280, 720); // the window of a 1280x720 laptop screen
        logIn(VIEWER, PASSWORD);
        browser.open("/streams/" + tsStream);
        awaitPlaying();
        assertThat((Long) browser.script("return Math.round(window.scrollY)")).isZero();
        Rectangle button = browser.find("#fullscreen").getRect();
        long width = (Long) browser.script("return window.innerWidth");
        long height = (Long) browser.script("return window.innerHeight");
        assertThat(button.getY()).isGreaterThanOrEqualTo(0);
        assertThat(button.getY() + button.getHeight())
                .as("the full-screen button's bottom within a viewport " + height + " high")
                .isLessThanOrEqualTo((int) height);
        assertThat(button.getX() + button.getWidth()).isLessThanOrEqualTo((int) width);
        browser.screenshot(relay.root(), "player-laptop");
        browser.find("a.back").click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.path().equals("/"));
        assertThat(browser.find("#streams").getText()).contains("Garden");
    }

    @Test
    void theAdminPageOffersNothingTheApiWouldRefuseAndNoUserLooksAllowedBeforeBeingChosen() throws Exception {
        createViewer(Sessions.admin(ADMIN_PASSWORD), "carol");
        browser = new Browser(relay.url("/"));
        logIn("admin", ADMIN_PASSWORD);
        browser.open("/admin");
        String row = "#streams-body tr[data-stream='" + tsStream + "']";
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.find(row + " select").isDisplayed());
        Select pick = new Select(browser.find(row + " select"));
        assertThat(pick.getFirstSelectedOption().getText()).isEqualTo("Add viewer…");
        assertThat(pick.getFirstSelectedOption().getDomProperty("value")).isEmpty();
        WebElement allow = browser.find(row + " .grant button");
        assertThat(allow.isEnabled()).as("the placeholder allows nobody").isFalse();
        assertThat(chips(row)).doesNotContain("carol");
        pick.selectByVisibleText("carol");
        assertThat(allow.isEnabled()).isTrue();
        allow.click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> chips(row).contains("carol"));
        assertThat(new Select(browser.find(row + " select"))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("Add viewer…");

        // your own row: no "Make viewer" and no "Delete" (the API answers 409 to both); another's row has them
        List<String> own = buttons("#users-body tr[data-user='admin']");
        assertThat(own).contains("Reset password", "Tokens").doesNotContain("Make viewer", "Delete");
        assertThat(buttons("#users-body tr[data-user='carol']")).contains("Make admin", "Delete");
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the admin page")
                .isEmpty();
        Sessions.page(Sessions.admin(ADMIN_PASSWORD))
                .delete("/api/admin/streams/{id}/viewers/carol", tsStream)
                .then()
                .statusCode(204);
    }

    @Test
    void onAPhoneTheAdminPageFitsWithoutScrollingSidewaysAndShowsEveryAction() throws Exception {
        browser = new Browser(relay.url("/"), 390, 844);
        logIn("admin", ADMIN_PASSWORD);
        browser.open("/admin");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#streams-body").getText().contains("Garden")
                        && !browser.find("#audit-body").getText().isEmpty());
        long width = (Long) browser.script("return window.innerWidth");
        assertThat(width).as("a phone's width").isEqualTo(390);
        assertThat((Long) browser.script("return document.documentElement.scrollWidth"))
                .as("no sideways scrolling")
                .isLessThanOrEqualTo(width);
        String row = "#streams-body tr[data-stream='" + tsStream + "']";
        assertThat(buttons(row)).contains("Rotate secret", "Delete");
        for (WebElement button :
                browser.findAll("#streams-body button, #users-body button, #new-stream button, #new-user button")) {
            Rectangle box = button.getRect();
            assertThat(button.isDisplayed()).isTrue();
            assertThat(box.getX())
                    .as(button.getText() + " starts on the screen")
                    .isGreaterThanOrEqualTo(0);
            assertThat(box.getX() + box.getWidth())
                    .as(button.getText() + " ends on the screen")
                    .isLessThanOrEqualTo((int) width);
        }
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the admin page on a phone")
                .isEmpty();
        browser.screenshot(relay.root(), "admin-phone");
    }

    @Test
    void theAuditLogFiltersByKindAndFoldsRepeatedLoginsIntoOneRow() throws Exception {
        String admin = Sessions.admin(ADMIN_PASSWORD);
        createViewer(admin, "dave");
        for (int i = 0; i < 3; i++) {
            Sessions.login("dave", PASSWORD);
        }
        given().redirects()
                .follow(false)
                .formParam("j_username", "dave")
                .formParam("j_password", "not-daves-password")
                .post("/j_security_check")
                .then()
                .statusCode(302);
        browser = new Browser(relay.url("/"));
        logIn("admin", ADMIN_PASSWORD);
        browser.open("/admin");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#audit-body").getText().contains("dave"));
        List<String> daveLogins = auditRows().stream()
                .filter(r -> r.contains("dave") && r.contains("Logged in"))
                .toList();
        assertThat(daveLogins)
                .as("three logins of dave from one address, one after the other")
                .hasSize(1);
        assertThat(daveLogins.get(0)).contains("× 3");

        Select kind = new Select(browser.find("#audit-kind"));
        assertThat(kind.getOptions())
                .extracting(WebElement::getText)
                .containsExactly("Everything", "Logins", "Admin changes", "Refused logins");
        kind.selectByValue("refused");
        assertThat(auditKinds()).containsOnly("refused");
        assertThat(auditRows()).anyMatch(r -> r.contains("dave") && r.contains("Login refused"));
        kind.selectByValue("changes");
        assertThat(auditKinds()).containsOnly("changes");
        assertThat(auditRows()).anyMatch(r -> r.contains("dave") && r.contains("User created"));
        kind.selectByValue("logins");
        assertThat(auditKinds()).containsOnly("logins");
        kind.selectByValue("all");
        assertThat(auditKinds()).contains("logins", "changes", "refused");
    }

    @Test
    void anAdminMakesACameraTokenOnTheAccountPageAndCopiesItAndItsSetupLine() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn("admin", ADMIN_PASSWORD);
        WebElement account = browser.find("header a.who");
        assertThat(account.getText()).as("the header names where the link goes").contains("Account");
        account.click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.path().equals("/account")
                        && browser.find("#sessions-body").getText().contains("(this one)"));
        browser.find("#token-name").sendKeys("Front door Pi");
        browser.find("input[name=scope][value=camera]").click();
        browser.find("#new-token button[type=submit]").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#token-panel").isDisplayed());
        String token = browser.find("#token-value").getDomProperty("value");
        assertThat(token).startsWith("picam_pat_");
        String origin = relay.url("").toString();
        assertThat(browser.find("#token-setup").isDisplayed()).isTrue();
        assertThat(browser.find("#token-setup").getDomProperty("value"))
                .isEqualTo("sudo PICAM_TOKEN=" + token + " picam setup --relay " + origin + " --name \"My camera\"");
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the account page with a new token")
                .isEmpty();
        browser.script("document.getElementById('token-panel').scrollIntoView()");
        browser.screenshot(relay.root(), "account-token");

        browser.driver()
                .executeCdpCommand(
                        "Browser.grantPermissions",
                        Map.of(
                                "origin",
                                origin,
                                "permissions",
                                List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        browser.find("#copy-token").click();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> browser.find("#status").getText().equals("Token copied."));
        assertThat(clipboard()).isEqualTo(token);
        browser.find("#copy-setup").click();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> browser.find("#status").getText().equals("Command copied."));
        assertThat(clipboard()).isEqualTo(browser.find("#token-setup").getDomProperty("value"));
        given().auth().oauth2(token).get("/api/admin/streams").then().statusCode(200); // the camera scope lists cameras
    }

    /** The visible texts of the buttons in a part of the page. */
    private List<String> buttons(String css) {
        return browser.findAll(css + " button").stream()
                .map(WebElement::getText)
                .toList();
    }

    /** The users a camera's row shows as allowed. */
    private List<String> chips(String row) {
        return ((List<?>) browser.script(
                        "return Array.prototype.map.call(document.querySelectorAll(arguments[0]),"
                                + " function (chip) { return chip.firstChild.textContent; })",
                        row + " .chip"))
                .stream().map(String::valueOf).toList();
    }

    private List<String> auditRows() {
        return browser.findAll("#audit-body tr").stream()
                .map(WebElement::getText)
                .toList();
    }

    private List<String> auditKinds() {
        return browser.findAll("#audit-body tr").stream()
                .map(r -> r.getDomAttribute("data-kind"))
                .distinct()
                .toList();
    }

    private String clipboard() {
        return (String)
                browser.driver()
                        .executeAsyncScript(
                                "var done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, function (e) { done('refused: ' + e); });");
    }

    @Test
    void theRecordingsPagePlaysAPickedMomentAndLeadsBackToLive() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn("admin", ADMIN_PASSWORD);
        browser.open("/streams/" + h264Stream);
        browser.find("a[href='/streams/" + h264Stream + "/recordings']").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.path().equals("/streams/" + h264Stream + "/recordings"));
        openRecordingsOnceRecorded(h264Stream);
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the recordings page")
                .isEmpty();
        browser.find("#spans .span").click(); // pick the moment on the timeline
        await().atMost(Duration.ofSeconds(15)).until(() -> currentTime() > 0.5);
        assertThat(browser.find("#play").getText()).isEqualTo("Pause");
        assertPictureMoves(browser.find("#video"));
        browser.find("#speeds [data-rate='2']").click();
        assertThat(((Number) browser.script("return document.getElementById('video').playbackRate")).doubleValue())
                .isEqualTo(2.0);
        browser.screenshot(relay.root(), "recordings");
        browser.find("a.back").click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.path().equals("/streams/" + h264Stream));
        awaitPlaying();
    }

    @Test
    void anMpegTsStreamsNewestRecordingPlaysThroughJsmpegAndGoesOnIntoWhatWasRecordedSince() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn(VIEWER, PASSWORD); // watching live is enough to watch the recordings
        openRecordingsOnceRecorded(tsStream);
        // the timeline's right end: the newest segment listed when the page opened
        WebElement timeline = browser.find("#timeline");
        new Actions(browser.driver())
                .moveToElement(timeline, timeline.getRect().getWidth() / 2 - 2, 0)
                .click()
                .perform();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> "Pause".equals(browser.find("#play").getText()));
        WebElement picture = browser.find("#video");
        assertPictureMoves(picture);
        // the segments recorded since (2 s each here) follow by themselves, and the picture goes on moving
        String segment = browser.find("#download").getDomAttribute("href");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !segment.equals(browser.find("#download").getDomAttribute("href")));
        assertPictureMoves(picture);
        assertThat(browser.find("#play").getText()).isEqualTo("Pause");
        assertThat(browser.find("#overlay").isDisplayed())
                .as("no message over the picture")
                .isFalse();
    }

    @Test
    void onAPhoneTheRecordingsPageFitsAndATapOnTheTimelinePlays() throws Exception {
        browser = new Browser(relay.url("/"), 390, 844);
        logIn("admin", ADMIN_PASSWORD);
        openRecordingsOnceRecorded(h264Stream);
        long viewport = (Long) browser.script("return window.innerWidth");
        assertThat(viewport).as("a phone's width").isEqualTo(390);
        assertThat((Long) browser.script("return document.scrollingElement.scrollWidth"))
                .as("no sideways scrolling")
                .isLessThanOrEqualTo(viewport);
        for (String control : List.of("#video", "#timeline", "#play", "#previous", "#next", "#speeds", "#days")) {
            WebElement element = browser.find(control);
            Rectangle box = element.getRect();
            assertThat(element.isDisplayed()).as("%s is shown", control).isTrue();
            assertThat(box.getX()).as("%s starts on the screen", control).isGreaterThanOrEqualTo(0);
            assertThat(box.getX() + box.getWidth())
                    .as("%s ends on the screen", control)
                    .isLessThanOrEqualTo((int) viewport);
        }
        WebElement timeline = browser.find("#timeline");
        assertThat(timeline.getRect().getHeight()).as("a finger-high timeline").isGreaterThanOrEqualTo(40);
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the recordings page on a phone")
                .isEmpty();
        // a finger on the timeline's right end: the recordings of the last hours
        tap(timeline, 0.95);
        await().atMost(Duration.ofSeconds(20)).until(() -> currentTime() > 0.5);
        assertThat(browser.find("#play").getText()).isEqualTo("Pause");
        assertPictureMoves(browser.find("#video"));
    }

    /** Opens a stream's recordings page, again until it shows a recorded span (2 s segments: a few seconds). */
    private void openRecordingsOnceRecorded(String stream) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(3))
                .ignoreExceptions()
                .until(() -> {
                    browser.open("/streams/" + stream + "/recordings");
                    return !browser.findAll("#spans .span").isEmpty();
                });
    }

    /** A finger's tap (touch events, not a mouse) at a share of the element's width, on its middle line. */
    private void tap(WebElement element, double across) {
        PointerInput finger = new PointerInput(PointerInput.Kind.TOUCH, "finger");
        int offset = (int) Math.round((across - 0.5) * element.getRect().getWidth());
        Sequence tap = new Sequence(finger, 0)
                .addAction(finger.createPointerMove(Duration.ZERO, PointerInput.Origin.fromElement(element), offset, 0))
                .addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
                .addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        browser.driver().perform(List.of(tap));
    }

    @Test
    void anAdminSharesACameraAndTheLinkPlaysInAFreshBrowserWithoutAnAccountUntilItIsRevoked() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn("admin", ADMIN_PASSWORD);
        browser.open("/admin");
        String row = "#streams-body [data-stream='" + h264Stream + "']";
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.find(row).isDisplayed());
        browser.find(row + " button[aria-label^='Share links of']").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#share-section").isDisplayed());
        browser.find("#link-label").sendKeys("for the neighbour");
        browser.find("#link-pin").sendKeys("2468");
        browser.find("#new-link button[type=submit]").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#link-panel").isDisplayed());
        String url = browser.find("#link-url").getDomProperty("value");
        assertThat(url).startsWith(relay.url("/s/").toString());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#links-body").getText().contains("for the neighbour"));
        assertThat(browser.find("#links-body").getText()).contains("PIN").contains("never");
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the admin page with its share links")
                .isEmpty();
        browser.screenshot(relay.root(), "admin-share");
        assertThat(browser.consoleErrors())
                .as("errors in the admin's browser console")
                .isEmpty();
        browser.close();

        browser = new Browser(relay.url("/")); // a fresh profile: no cookies, no login
        browser.open(URI.create(url).getPath());
        browser.find("#pin").sendKeys("2468");
        browser.find("form button[type=submit]").click();
        WebElement picture = awaitPlaying();
        assertPictureMoves(picture);
        assertThat(browser.script("return document.querySelectorAll('a').length"))
                .as("links on the share page")
                .isEqualTo(0L);
        assertThat(browser.script("return document.cookie"))
                .as("the share cookie is HttpOnly")
                .isEqualTo("");
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the share page")
                .isEmpty();
        browser.screenshot(relay.root(), "share-link");

        String admin = Sessions.admin(ADMIN_PASSWORD);
        long linkId = Sessions.page(admin)
                .get("/api/admin/streams/{id}/links", h264Stream)
                .then()
                .body("[0].viewersNow", Matchers.equalTo(1))
                .extract()
                .<Number>path("[0].id")
                .longValue();
        Sessions.page(admin).delete("/api/admin/links/{id}", linkId).then().statusCode(204);
        awaitState("unsupported", Duration.ofSeconds(30)); // the player's final state: nothing more to try
        assertThat(browser.find("#overlay").getText()).contains("This link has ended");
        assertThat(browser.consoleErrors())
                .as("only the refused check that told the page the link ended")
                .allMatch(error -> error.contains("snapshot.jpg") && error.contains("401"));
    }

    @Test
    void aViewerSharesFromThePlayerOnceAnAdminTicksTheBoxAndTheLinkEndsWhenItIsUnticked() throws Exception {
        browser = new Browser(relay.url("/"));
        logIn("admin", ADMIN_PASSWORD);
        browser.open("/admin");
        String row = "#streams-body [data-stream='" + tsStream + "']";
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.find(row).isDisplayed());
        browser.find(row + " button[aria-label^='Share links of']").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#share-section").isDisplayed());
        WebElement box = browser.find("#viewers-may-share");
        if (!box.isSelected()) {
            box.click();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#status").getText().contains("may now make links"));
        browser.close();

        browser = new Browser(relay.url("/"));
        logIn(VIEWER, PASSWORD);
        browser.open("/streams/" + tsStream);
        browser.find("#share-open").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#share-section").isDisplayed());
        browser.find("#link-label").sendKeys("for my sister");
        browser.find("#new-link button[type=submit]").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#link-panel").isDisplayed());
        String url = browser.find("#link-url").getDomProperty("value");
        assertThat(url).startsWith(relay.url("/s/").toString());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.find("#links-body").getText().contains("for my sister"));
        assertThat(browser.accessibilityProblems())
                .as("accessibility of the player with its share form")
                .isEmpty();
        given().get(URI.create(url).getPath()).then().statusCode(200);

        Sessions.page(Sessions.admin(ADMIN_PASSWORD))
                .contentType(ContentType.JSON)
                .body("{\"viewersMayShare\":false}")
                .patch("/api/admin/streams/{id}", tsStream)
                .then()
                .statusCode(200);
        given().get(URI.create(url).getPath()).then().statusCode(410);
        browser.driver().navigate().refresh();
        assertThat(browser.findAll("#share-open"))
                .as("no Share button any more")
                .isEmpty();
    }

    /** Logs in through the form and waits for the camera list, so that the next page has the session. */
    private void logIn(String username, String password) {
        browser.logIn(username, password);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.path().equals("/"));
    }

    private WebElement awaitPlaying() {
        awaitState("playing", Duration.ofSeconds(20));
        return browser.find("#video");
    }

    /** Waits for the player's state; on a timeout says what the page showed instead. */
    private void awaitState(String state, Duration within) {
        try {
            await().atMost(within)
                    .ignoreExceptions()
                    .until(() -> state.equals(browser.find("#player").getDomAttribute("data-state")));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "the player did not reach '" + state + "' within " + within + "; it shows state '"
                            + browser.script(
                                    "var p = document.getElementById('player'); return p ? p.dataset.state : location.pathname")
                            + "', overlay '"
                            + browser.script(
                                    "var o = document.getElementById('overlay'); return o ? o.textContent : ''")
                            + "', console " + browser.consoleErrors(),
                    e);
        }
    }

    private double currentTime() {
        return ((Number) browser.script("return document.getElementById('video').currentTime")).doubleValue();
    }

    /** Two pictures a moment apart differ: frames are decoded and drawn, not just bytes received. */
    private void assertPictureMoves(WebElement picture) {
        BufferedImage[] first = {null};
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            first[0] = browser.pixels(picture);
            return Browser.hasContent(first[0]);
        });
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> Browser.difference(first[0], browser.pixels(picture)) > 0.001);
    }
}
