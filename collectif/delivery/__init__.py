"""How public pages reach readers fast: the page cache (`cache`, in Redis, answered before
Django when it can, and for a second from each app server's memory), what a render reuses
between publications (`renders`: the site, its routes, the render of the same inputs), the
Redis cache backend that turns an outage into a miss (`cache_backend`), the sessions that
survive a Redis outage (`sessions`), and the caching proxy in front (`proxy`: Varnish's
bans)."""
