"""Sessions in Redis in front of the database (production's SESSION_ENGINE), that never make a
page fail when Redis cannot answer.

A session the cache cannot read is an empty session: the reader is anonymous (the public
pages do not need a session), and the team, in the admin, lands on the login page with a
French message (`UnreadableSessionMiddleware`). The database row is not read instead: a
logout made while Redis was down could not drop the cached copy, which would open the session
again once Redis is back. Writes still go to the database; a cache that cannot store one is a
WARNING, not an error.
"""

import logging

from django.contrib import messages
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

from collectif.protection.ratelimit import CACHE_ERRORS
from collectif.protection.security import is_admin_path

logger = logging.getLogger("collectif.delivery.sessions")

UNREADABLE_MESSAGE = (
    "Votre session n’a pas pu être lue : le service qui garde les sessions ne répond pas pour "
    "le moment. Reconnectez-vous; si cette page revient, réessayez dans quelques minutes."
)


class SessionStore(cached_db.SessionStore):
    unreadable = False

    def load(self):
        try:
            return super().load()
        except CACHE_ERRORS:
            logger.warning("Session illisible : le cache partagé ne répond pas")
            self.unreadable = True
            # A later save makes a new session rather than write over this one.
            self._session_key = None
            return {}

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except CACHE_ERRORS:
            return DBStore.exists(self, session_key)

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except CACHE_ERRORS:
            logger.warning("Session enregistrée sans le cache partagé (il ne répond pas)")

    def delete(self, session_key=None):
        try:
            super().delete(session_key)
        except CACHE_ERRORS:
            logger.warning("Session effacée de la base seulement (le cache ne répond pas)")


class UnreadableSessionMiddleware:
    """After the authentication and messages middlewares: in the admin, a session that could
    not be read says so on the login page it leads to (the message goes in its cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and is_admin_path(request.path_info):
            session.get("_auth_user_id")  # loads it: the admin reads it anyway
            if getattr(session, "unreadable", False):
                messages.warning(request, UNREADABLE_MESSAGE)
        return self.get_response(request)
