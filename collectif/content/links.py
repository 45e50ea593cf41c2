"""The site's own address: every link the site prints or sends is built here, so that it opens
the site the person came from, on any host and port."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wagtail.models import Site


def base_url(request=None):
    """The scheme, host and port of the site, without a trailing slash.

    From the request when there is one (a page, an admin view, a form post); otherwise (a task,
    a management command) from the default Wagtail Site, which `make run` and the deployment
    keep in step with WAGTAILADMIN_BASE_URL (`manage.py set_site_address`)."""
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


def split_address(address):
    """(hostname, port) of an address such as https://collectifpetiteenfance.org."""
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"« {address} » n’est pas une adresse de site : écrivez par exemple "
            "https://collectifpetiteenfance.org ou http://127.0.0.1:8000."
        )
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def set_default_site_address(address=None):
    """Puts the default Site at `address` (WAGTAILADMIN_BASE_URL by default), so that the
    links of tasks and Wagtail's page URLs open the address the site is served at. Returns
    the Site, or None when there is none yet (load_demo_content makes it at that address)."""
    hostname, port = split_address(address or settings.WAGTAILADMIN_BASE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return site
