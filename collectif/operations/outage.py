"""The database unavailable (PostgreSQL stopped, restarting, unreachable): a French 503 page.

Django turns any exception of a request into its 500 page (handler500, below). When that
exception is the database's (OperationalError, InterfaceError: no connection, a connection
lost, a statement cancelled), the reader gets instead a 503 page that says to come back in a
moment, with `Retry-After`, never stored by a cache. The page is a static template rendered
without the request: no context processor, no query. Django logs the request once at ERROR
(django.request, with the traceback, for the team's monitoring): it is an outage.

Public pages already in the page cache (collectif/delivery/cache.py) are still served: it
answers them before anything asks the database; a page whose address was just renewed (a
correction) gets its previous copy instead of this page (`stale_while_down`). Django
reopens its connection by itself at the next request once PostgreSQL answers again
(conn_health_checks)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

DATABASE_ERRORS = (OperationalError, InterfaceError)
# What the page and its Retry-After header ask: a restart of PostgreSQL takes seconds.
RETRY_AFTER_SECONDS = 30


def database_unavailable_response():
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: Django calls it while it handles the request's exception."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response()
    return defaults.server_error(request, template_name)
