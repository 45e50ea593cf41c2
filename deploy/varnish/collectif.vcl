# Varnish in front of the Collectif's app servers (Debian's varnish, VCL 4.1).
#
# - Caches what the site says is public (Cache-Control: public, s-maxage), for as long as it
#   says; anything else is passed to an app server and never stored.
# - Passes private links, the admin, forms, the search, health checks, every POST, and any
#   request with a session (a logged-in editor) or a pending message.
# - Keeps every cookie: an anonymous reader's cookies (CSRF) still reach the app on a miss;
#   they only do not split the cache.
# - Accepts PURGE (Wagtail's frontend cache, on publication) and BAN from the app servers
#   only (acl purgers): `BAN /` drops every page, `BAN <path>` with `X-Ban: path` the pages
#   at that address (every query string). A campaign's pages while parties correct their
#   published answers come with s-maxage=2 (collectif/delivery/cache.py, LIVE_PROXY_MAX_AGE)
#   and no ban: past their time, readers get the copy at once (req.grace) while one fetch
#   refreshes it.
# - Logs no private link: the address and the referrer are written to the log with every
#   party token replaced (std.log "url:" and "referer:"), and varnishncsa prints those
#   instead of %r, %U and %{Referer}i (docs/exploitation.md, « Journal de Varnish »):
#   varnishncsa -F '%h %l %u %t "%m %{VCL_Log:url}x %H" %s %b "%{VCL_Log:referer}x" "%{User-agent}i"'
# - Keys a page by its address and only the query parameters the pages read (partis,
#   questions: collectif/delivery/cache.py QUERY_PARAMETERS), sorted; any other is removed before the
#   app sees it, so that `/?x=1`, `/?x=2`… are one object, not one each.
# - When the app servers are down or failing (an error 5xx, no answer), serves what it has of
#   a public page, stale if need be (grace, up to 6 hours), and a French maintenance page for
#   anything else. An error is never stored, and never replaces a stored page.
#
# Add an app server: one more backend and one more `add_backend` line
# (docs/exploitation.md). make production-check rewrites the ports of app1 and app2.
vcl 4.1;

import directors;
import std;

probe ping {
    # Liveness: the process answers. /sante/ (database, cache, queue) is for the monitoring: a
    # shared service down (Redis, PostgreSQL) would otherwise take every app server out at
    # once, while they still serve cached pages and say clearly what they cannot do.
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
        "(?i)(?<![0-9a-z])[0-9a-z]{1,13}-[0-9a-f]{40}", "[lien-prive]"),
        "^/campagnes/acces/[^/?#]+", "/campagnes/acces/[lien-prive]"));
    std.log("referer:" + regsuball(regsuball(req.http.Referer,
        "(?i)(?<![0-9a-z])[0-9a-z]{1,13}-[0-9a-f]{40}", "[lien-prive]"),
        "/campagnes/acces/[^/?#]+", "/campagnes/acces/[lien-prive]"));

    set req.backend_hint = apps.backend();
    if (req.restarts == 0) {
        # Set only by vcl_synth below, never by a client.
        unset req.http.X-Collectif-Stale;
        unset req.http.X-Collectif-Cacheable;
    }
    # A page past its time is served at once while a fresh copy is fetched: for 10 s when an
    # app server answers; when none does (or after a failed fetch, X-Collectif-Stale), for the
    # whole grace of the page (vcl_backend_response).
    if (std.healthy(req.backend_hint) && !req.http.X-Collectif-Stale) {
        set req.grace = 10s;
    }
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
        if (req.http.X-Ban == "path") {
            # The pages at one address (a campaign's pages: collectif/delivery/proxy.py).
            ban("obj.http.X-Path == " + regsub(req.url, "\?.*$", ""));
        } else {
            # Every page (the site's generation changed).
            ban("obj.http.X-Host ~ .");
        }
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
    # Only the query parameters the pages read: any other is dropped (then the order made
    # stable), so that a loop of made-up query strings cannot fill the cache.
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(partis|questions)=)[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
    # Anyone else reads the page everyone reads: cookies are not part of the key, but stay in
    # the request to the app server.
    set req.http.X-Collectif-Cacheable = "1";
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
    set beresp.http.X-Path = regsub(bereq.url, "\?.*$", "");
    # Only what the app marks public is stored, for its s-maxage (Varnish reads it);
    # private, no-store, no-cache, a cookie or no Cache-Control at all: never stored.
    if (bereq.uncacheable) {
        return (deliver);
    }
    # An app server failing (the database down: a 503 page): never stored. A stored page
    # stays: a background refresh is dropped (the stale page is served again), and a first
    # try gives up so that vcl_synth looks for a stale copy (X-Collectif-Stale); only the
    # second try shows the app's own error page (French, Retry-After).
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch || !bereq.http.X-Collectif-Stale) {
            return (abandon);
        }
        set beresp.ttl = 0s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
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
    # A page the app cannot serve right now may be served stale (vcl_recv limits it to 10 s
    # while an app server answers).
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_backend_error {
    # No app server answered (all down, refused, timed out): the same as a 5xx above, and
    # vcl_synth shows the maintenance page when there is no stale copy to serve.
    return (abandon);
}

sub vcl_synth {
    # A failed fetch of a public page: look once more, for a stale copy this time.
    if (resp.status == 503 && req.http.X-Collectif-Cacheable && req.restarts == 0) {
        set req.http.X-Collectif-Stale = "1";
        return (restart);
    }
    if (resp.status == 503) {
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.http.Retry-After = "30";
        set resp.http.Cache-Control = "no-store";
        set resp.http.X-Request-ID = req.http.X-Request-ID;
        synthetic({"<!DOCTYPE html>
<html lang="fr-CA">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Site en maintenance · Collectif petite enfance</title>
</head>
<body>
<main>
<h1>Le site est momentanément indisponible</h1>
<p>Nous faisons le nécessaire pour le rétablir. Réessayez dans quelques minutes.</p>
<p>Si vous remplissiez un formulaire, rien n’a été enregistré : gardez votre texte et envoyez-le de nouveau plus tard.</p>
<p><a href="/">Retourner à l’accueil</a></p>
</main>
</body>
</html>
"});
        return (deliver);
    }
}

sub vcl_deliver {
    unset resp.http.X-Host;
    unset resp.http.X-Path;
    if (obj.hits > 0) {
        set resp.http.X-Proxy-Cache = "HIT";
    } else {
        set resp.http.X-Proxy-Cache = "MISS";
    }
    set resp.http.X-Request-ID = req.http.X-Request-ID;
}
