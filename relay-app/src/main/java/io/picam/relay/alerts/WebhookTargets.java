package io.picam.relay.alerts;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a webhook may point (against server-side request forgery): an absolute http(s) URL whose host resolves only
 * to public addresses; with private targets allowed, also loopback and private ranges (Home Assistant on the LAN).
 * Link-local (cloud metadata at 169.254.169.254), multicast and unspecified addresses are never allowed. Every
 * address the name resolves to is checked, at creation and again before every delivery (DNS may change).
 */
public final class WebhookTargets {

    /** A refused URL, with a sentence for the 400 or the delivery log. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Resolves host names: the JDK's, or a fake in tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public WebhookTargets(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public WebhookTargets(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public URI check(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("url: not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("url: must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new Refused("url: needs a host name, and no user name or password in it");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("url: the host " + uri.getHost() + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = refusal(address);
            if (why != null) {
                throw new Refused("url: " + uri.getHost() + " resolves to " + address.getHostAddress() + ", " + why);
            }
        }
        return uri;
    }

    private String refusal(InetAddress a) {
        if (a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return "a link-local, unspecified or multicast address: never a webhook target";
        }
        if (!allowPrivate && (a.isLoopbackAddress() || a.isSiteLocalAddress() || isOtherPrivate(a))) {
            return "a loopback or private address: refused unless PICAM_WEBHOOKS_ALLOW_PRIVATE=true";
        }
        return null;
    }

    /** Private ranges the JDK does not call site-local: IPv6 unique local (fc00::/7) and carrier-grade NAT (100.64/10). */
    private static boolean isOtherPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xFE) == 0xFC;
        }
        return a instanceof Inet4Address && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
    }
}
