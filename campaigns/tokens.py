"""Private links that nothing stored can open.

A party's link carries `<invitation id in base 36>-<signature>`. The signature is an HMAC of
the invitation and its link generation, keyed by the site's SECRET_KEY (as Django's
password-reset tokens are): the database holds no token, and a copy of it opens no link.
Renewing a link bumps the generation, so the old signature no longer matches (404).
Changing SECRET_KEY renews every link at once.
"""

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

SALT = "campaigns.invitation-link"
MAX_TOKEN_LENGTH = 80


def _signature(invitation_pk, generation):
    return salted_hmac(SALT, f"{invitation_pk}:{generation}", algorithm="sha256").hexdigest()[:40]


def make_token(invitation):
    return f"{int_to_base36(invitation.pk)}-{_signature(invitation.pk, invitation.generation)}"


def parse_token(token):
    """The invitation id a token names, or None; the signature is checked by `check_token`."""
    if not token or len(token) > MAX_TOKEN_LENGTH or "-" not in token:
        return None
    pk_part, _, _ = token.partition("-")
    try:
        return base36_to_int(pk_part)
    except ValueError:
        return None


def check_token(invitation, token):
    return constant_time_compare(make_token(invitation), token)
