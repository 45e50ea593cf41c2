# Varnish in front of the Collectif's app servers (Debian's varnish, VCL 4.1).
#
# - Caches what the site says is public (Cache-Control: public, s-maxage), for as long as it
#   says; anything else is passed to an app server and never stored.
# - Passes private links, the admin, forms, the search, health checks, every POST, and any
#   request with a session (a logged-in editor) or a pending message.
# - Keeps every cookie: an anonymous reader's cookies (CSRF) still reach the app on a miss;
#   they only do not split the cache.
# - Accepts PURGE (Wagtail's frontend cache, on publication) and BAN from the app servers
#   only (acl purgers).
# - Logs no private link: the address and the referrer are written to the log with every
#   party token replaced (std.log "url:" and "referer:"), and varnishncsa prints those
#   instead of %r, %U and %{Referer}i (docs/exploitation.md, « Journal de Varnish »):
#   varnishncsa -F '%h %l %u %t "%m %{VCL_Log:url}x %H" %s %b "%{VCL_Log:referer}x" "%{User-agent}i"'
#
# Add an app server: one more backend and one more `add_backend` line
# (docs/exploitation.md). make production-check rewrites the ports of app1 and app2.
vcl 4.1;

import directors;
import std;

probe ping {
    # The process answers; /sante/ (database, cache, queue) is for the monitoring: a shared
    # service down would otherwise take every app server out at once.
    .url = "/sante/ping";
    .interval = 5s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = ping;
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
    .between_bytes_timeout = 10s;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = ping;
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
    .between_bytes_timeout = 10s;
}

# Who may purge: the app servers (and their task workers).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new apps = directors.round_robin();
    apps.add_backend(app1);
    apps.add_backend(app2);
}

sub vcl_recv {
    # First, before any return: what the log may show of the address and the referrer. A
    # party's token (<id in base 36>-<40 hex digits>, campaigns/tokens.py) is replaced
    # wherever it stands, and so is anything after /campagnes/acces/.
    std.log("url:" + regsuball(regsuball(req.url,
        "(?i)[0-9a-z]+-[0-9a-f]{40}", "[lien-prive]"),
        "^/campagnes/acces/[^/?#]+", "/campagnes/acces/[lien-prive]"));
    std.log("referer:" + regsuball(regsuball(req.http.Referer,
        "(?i)[0-9a-z]+-[0-9a-f]{40}", "[lien-prive]"),
        "/campagnes/acces/[^/?#]+", "/campagnes/acces/[lien-prive]"));

    set req.backend_hint = apps.backend();
    # The client's address for the app's rate limits (CLIENT_IP_HEADER=HTTP_X_REAL_IP).
    set req.http.X-Real-IP = client.ip;
    if (!req.http.X-Request-ID) {
        set req.http.X-Request-ID = req.xid;
    }

    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.method == "BAN") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Every page (the site's generation changed: collectif/proxy.py).
        ban("obj.http.X-Host ~ .");
        return (synth(200, "Banned"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Private links, the team's admin, forms, the search (counted and rate-limited per
    # reader), health, and the site's uploaded files.
    if (req.url ~ "^/(admin|campagnes/acces|infolettre|recherche|sante|documents)(/|$|\?)") {
        return (pass);
    }
    # A session (an editor, someone who just saw a message) may see personal things.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Anyone else reads the page everyone reads: cookies are not part of the key, but stay in
    # the request to the app server.
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    return (lookup);
}

sub vcl_backend_response {
    # Marks the object for BAN (kept in the cache, removed from responses).
    set beresp.http.X-Host = bereq.http.host;
    # Only what the app marks public is stored, for its s-maxage (Varnish reads it);
    # private, no-store, no-cache, a cookie or no Cache-Control at all: never stored.
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "public"
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || beresp.http.Vary ~ "(?i)cookie") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # A page the app cannot serve right now may be served a little stale.
    set beresp.grace = 30s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Host;
    if (obj.hits > 0) {
        set resp.http.X-Proxy-Cache = "HIT";
    } else {
        set resp.http.X-Proxy-Cache = "MISS";
    }
    set resp.http.X-Request-ID = req.http.X-Request-ID;
}
