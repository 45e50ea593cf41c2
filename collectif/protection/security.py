"""Response headers and request bodies: what every request goes through before a view.

- Content-Security-Policy: django-csp's middleware with the settings' policy for the public
  site; the admin gets ADMIN_CSP (Wagtail's admin has inline scripts and styles).
- Permissions-Policy: the browser features the site never uses, refused.
- Bodies: above MAX_REQUEST_BODY_SIZE (or PUBLIC_MAX_BODY_SIZE outside the admin) a request is
  refused with a French 413 before it is read; outside the admin, a multipart body that carries
  a file is refused with a 400, since no public form takes a file.
- Refusals: the Host header is checked before anything reads it (a forged one is Django's
  400), a method the site never answers (TRACE, CONNECT, anything unknown) gets a 405, and
  every 405 a view answers gets the French page. The 400 page of a forged host names no site
  (there is none to show). django.security logs these at WARNING (collectif.operations.logs).
"""

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.template.response import TemplateResponse
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware as BaseCSPMiddleware

logger = logging.getLogger("collectif.protection.security")

ADMIN_PREFIX = "/admin/"

# Wagtail's admin: inline scripts (the page editor runs some: checked in Chromium by
# tests/browser/test_security_headers.py) and style attributes, images
# from data: and blob: URLs (the image uploader's previews), the page preview in a frame.
ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    # Gravatar: Wagtail's default avatars (a protocol-relative address, so no scheme here).
    "img-src": ["'self'", "data:", "blob:", "www.gravatar.com"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": [
        "'self'",
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# The public forms (newsletter, a party's answers) are a few kilobytes of text.
PUBLIC_MAX_BODY_SIZE = 256 * 1024


def is_admin_path(path):
    return path.startswith(ADMIN_PREFIX)


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = ADMIN_CSP
        return parts


class FileNotAccepted(SuspiciousOperation):
    """A file sent to a form that takes none: Django answers 400 (400.html)."""


class RefuseFilesHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        raise FileNotAccepted("Ce formulaire n’accepte pas de fichier.")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class RequestBodyLimitMiddleware:
    """After the session and the user are known (the 413 page is a page of the site), and
    before any view or middleware reads the body (CSRF's check reads it in process_view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.refuse_body(request) or self.get_response(request)

    def refuse_body(self, request):
        admin = is_admin_path(request.path_info)
        limit = settings.MAX_REQUEST_BODY_SIZE if admin else PUBLIC_MAX_BODY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            # Django would fail reading such a body (a 500): the request is malformed.
            logger.warning("Requête refusée : Content-Length invalide")
            return TemplateResponse(request, "400.html", status=400).render()
        if length > limit:
            # Not read. No `Connection: close` here: a WSGI application may not send it (the
            # development server answers a 500 to it, gunicorn drops it); gunicorn closes the
            # connection itself when the unread rest of the body is too long to drain.
            response = TemplateResponse(
                request, "413.html", {"limit_kb": limit // 1024}, status=413
            )
            return response.render()
        if not admin and request.content_type == "multipart/form-data":
            request.upload_handlers = [RefuseFilesHandler(request)]
        return None


# What the site and its admin answer; anything else (TRACE, CONNECT, WebDAV, a made-up
# word) is refused before any view.
ANSWERED_METHODS = {"GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"}


def method_not_allowed(request, allowed=("GET", "HEAD", "POST")):
    response = TemplateResponse(request, "405.html", status=405)
    response["Allow"] = ", ".join(allowed)
    return response.render()


class RefusedRequestMiddleware:
    """Before the page cache (it keys pages by host): a forged Host header raises Django's
    DisallowedHost here, which Django answers with its 400 (`bad_request`), before anything
    else reads it. A method the site never answers gets the French 405, and so does every
    empty 405 of a view (`require_http_methods`, Wagtail's pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.get_host()
        if request.method not in ANSWERED_METHODS:
            return method_not_allowed(request)
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
            french = method_not_allowed(request, allowed or ("GET", "HEAD", "POST"))
            # Django logs a refused method once (the view's own line), not once more for
            # the page that replaces it.
            french._has_been_logged = getattr(response, "_has_been_logged", False)
            return french
        return response


@requires_csrf_token
def bad_request(request, exception):
    """handler400: the French 400 page. A request with a forged host has no site (its menu,
    its settings), so it gets the same text on a page of its own."""
    if isinstance(exception, DisallowedHost):
        return TemplateResponse(request, "400_host.html", status=400).render()
    return defaults.bad_request(request, exception)


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout for every login made through a request (the admin's login form,
    a password reset). Code that checks a password without a request (a management command,
    a test) is not a guessing attack, and goes on to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
