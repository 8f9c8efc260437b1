# Varnish 7 in front of `newsroom serve`: caches what the answers say may be cached
# (Cache-Control), passes the event streams through, and takes the purges the server sends
# (`serve --cache-purge http://THIS-VARNISH/`): `BAN /` with `Surrogate-Key: TAG TAG ...` drops
# every object tagged with any of them, every variant included. See docs/caching.md.
#
#   varnishd -f /etc/varnish/newsroom.vcl -a :80 -s malloc,256m
#
# The origin is in newsroom-backend.vcl, beside this file or in vcl_path (see backend.example.vcl).
vcl 4.1;

import std;

include "newsroom-backend.vcl";

acl newsroom_purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ newsroom_purgers) {
            return (synth(405, "Not allowed"));
        }
        # Tags as the server makes them (`cache_policy.py`): lowercase words, digits, / - _.
        if (req.http.Surrogate-Key !~ "^[a-z0-9/_-]+( [a-z0-9/_-]+)*$") {
            return (synth(400, "Give the tags to purge in Surrogate-Key"));
        }
        # On obj.http only, so the ban lurker can drop the objects without waiting for a request.
        # A tag is whole between two characters no tag holds (a ban's argument cannot hold a space).
        if (std.ban("obj.http.Surrogate-Key ~ (^|[^a-z0-9/_-])(" + regsuball(req.http.Surrogate-Key, " ", "|") + ")([^a-z0-9/_-]|$)")) {
            return (synth(200, "Banned"));
        }
        return (synth(400, std.ban_error()));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The event stream: straight through, never stored, never buffered.
    if (req.url ~ "^/stories/[^/?]+/live") {
        return (pass);
    }
    # The site sets no cookies and reads none: they must not split the cache.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_backend_response {
    if (bereq.url ~ "^/stories/[^/?]+/live") {
        set beresp.do_stream = true;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Kept a while past its life, so an expired answer is revalidated (If-None-Match, a 304)
    # rather than fetched again whole.
    if (beresp.ttl > 0s && beresp.ttl < 1h) {
        set beresp.keep = 1m;
    }
}

sub vcl_deliver {
    # The tags are for this cache; readers do not need them.
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
