"""Helpers the tests of several modules share: the admin's account form as it is posted, and
what the production's log handler writes."""

import io
import logging


def account_data(user, **changes):
    """The user's edit form as the admin posts it, with `changes`."""
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name or "Prénom",
        "last_name": user.last_name or "Nom",
        "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "password1": "",
        "password2": "",
    }
    data.update(changes)
    return data


def assert_refused(response):
    """Wagtail's admin answers a refused action (PermissionDenied) by sending back to its home
    page with « Désolé, vous n’avez pas les autorisations pour accéder à cette zone »."""
    assert (response.status_code, response.get("Location")) == (302, "/admin/")


def console_handler():
    """The handler LOGGING configures (the one production writes with)."""
    return next(h for h in logging.getLogger("django").handlers if h.name == "console")


class ConsoleOutput:
    def __enter__(self):
        self.handler = console_handler()
        self.stream = io.StringIO()
        self.previous = self.handler.setStream(self.stream)
        return self

    def __exit__(self, *exc):
        self.handler.setStream(self.previous)

    @property
    def text(self):
        return self.stream.getvalue()
