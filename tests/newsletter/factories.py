"""What the sign-up tests share: a start time bound to the visitor, as the forms make it."""

import time

from django.conf import settings
from django.test import RequestFactory

from newsletter.forms import started_token


def a_person_started(client, seconds_ago=30):
    """The form's hidden start time, as if the form had been shown to `client`'s visitor
    (its CSRF cookie) `seconds_ago`."""
    return started_token(visitor_request(client), time.time() - seconds_ago)


def visitor_request(client):
    """A request of `client`'s visitor, as the view sees it (the CSRF secret of its cookie)."""
    if settings.CSRF_COOKIE_NAME not in client.cookies:
        client.get("/infolettre/")
    request = RequestFactory().get("/infolettre/")
    request.META["CSRF_COOKIE"] = client.cookies[settings.CSRF_COOKIE_NAME].value
    return request
