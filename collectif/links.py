"""The site's own address: every link the site prints or sends is built here, so that it opens
the site the person came from, on any host and port."""

from django.conf import settings

from wagtail.models import Site


def base_url(request=None):
    """The scheme, host and port of the site, without a trailing slash.

    From the request when there is one (a page, an admin view, a form post); otherwise (a task,
    a management command) from the default Wagtail Site, which `make run` and the deployment
    keep in step with the address the site is served at."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is not None and site.hostname not in ("", "localhost"):
        return site.root_url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path, request=None, base=None):
    """`path` made absolute: on `base` when the caller already knows it (a task that received
    the address of the request that queued it), else on `base_url(request)`."""
    return (base or base_url(request)).rstrip("/") + path
