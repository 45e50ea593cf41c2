"""The admin's login under attack: who is locked, who is slowed down, who is told, who unlocks.

django-axes counts the failures (settings AXES_*): five failures lock the pair (username,
client address) and, whatever the usernames tried, the address; never the username alone, so
that an attacker who knows a username cannot lock its owner out from the owner's own address.

Against many addresses guessing one username, the username is slowed down, not locked: after
RATE_LIMITS["login-username"] failures, an attempt on it from a browser that never logged in
as it passes at most once per RATE_LIMITS["login-username-slot"] period (the others get the
French 429 page, « réessayez dans une minute »). A browser where the owner logged in before
carries a signed cookie for that username and is never slowed down.

When an account is under attack (locked out somewhere, or slowed down), its owner and the
site's privacy/security contact (Paramètres du site) get an email, sent by the task queue, at
most once per lockout window per account. Administrators unlock from « Comptes verrouillés »
(collectif/accounts_admin.py)."""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.signing import BadSignature
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import now

from axes.helpers import get_cool_off
from django_tasks import task

from collectif.content import links
from collectif.mail import single_line
from collectif.models import SiteSettings
from collectif.protection import ratelimit

logger = logging.getLogger("collectif.protection.security")

TRUSTED_COOKIE = "collectif_connexion"
TRUSTED_SALT = "collectif.protection.lockout.trusted-browser"
TRUSTED_MAX_AGE = 365 * 24 * 3600

OWNER_SUBJECT = "Tentatives de connexion à votre compte du Collectif petite enfance"
CONTACT_SUBJECT = "Compte « {username} » de l’administration visé par des tentatives de connexion"


def login_path():
    return reverse("wagtailadmin_login")


def normalized(username):
    return (username or "").strip().lower()


def trusts(request, username):
    """True when this browser logged in as `username` before (the signed cookie says so)."""
    try:
        value = request.get_signed_cookie(
            TRUSTED_COOKIE, salt=TRUSTED_SALT, max_age=TRUSTED_MAX_AGE
        )
    except (KeyError, BadSignature):
        return False
    return bool(username) and value == normalized(username)


def trust(response, username):
    response.set_signed_cookie(
        TRUSTED_COOKIE,
        normalized(username),
        salt=TRUSTED_SALT,
        max_age=TRUSTED_MAX_AGE,
        path=login_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def window_key(scope, username):
    """The username's counter of `scope` for the current window of RATE_LIMITS[scope], on the
    site's clock: (key, period)."""
    _, period = ratelimit.limits_for(scope)
    return f"{normalized(username)}:{int(now().timestamp() // period)}", period


def failures(username):
    key, _ = window_key("login-username", username)
    return ratelimit.count("login-username", key)


def is_slowed_down(username):
    limit, _ = ratelimit.limits_for("login-username")
    return failures(username) >= limit


def record_failure(username, ip_address):
    """A failed login for `username`: counted for the slowdown; the account's alert when the
    count reaches the limit."""
    if not username:
        return
    limit, _ = ratelimit.limits_for("login-username")
    key, period = window_key("login-username", username)
    if ratelimit.hit("login-username", key, period * 2) == limit:
        logger.warning(
            "Connexion ralentie pour le compte « %s » après %s échecs (dernier depuis %s)",
            username,
            limit,
            ip_address,
        )
        alert(username, ip_address)


def take_slot(username):
    """True for the first attempts on `username` of the current slot of time (the slots are
    RATE_LIMITS["login-username-slot"] = (attempts, seconds), counted on the site's clock)."""
    limit, _ = ratelimit.limits_for("login-username-slot")
    key, period = window_key("login-username-slot", username)
    return ratelimit.hit("login-username-slot", key, period * 2) <= limit


class LoginSlowdownMiddleware:
    """On the admin's login form: slows a username down for browsers it never logged in from,
    and marks the browser of a successful login as trusted for that username."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path_info != login_path():
            return self.get_response(request)
        username = request.POST.get("username", "")
        trusted = trusts(request, username)
        if username and not trusted and is_slowed_down(username) and not take_slot(username):
            _, period = ratelimit.limits_for("login-username-slot")
            return ratelimit.too_many_requests(request, period).render()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 302 and user is not None and user.is_authenticated:
            if not trusted and normalized(user.get_username()) == normalized(username):
                trust(response, username)
        return response


def alert(username, ip_address):
    """Tells the owner of `username` and the privacy/security contact that the account is under
    attack: once per lockout window per account (an attacker cannot make the site flood them).
    A username that matches no account concerns nobody: no email."""
    if not username or not get_user_model().objects.filter(username=username).exists():
        return
    # One alert per window of the lockout's length, counted on the site's clock.
    window = int(get_cool_off().total_seconds())
    moment = now()
    key = f"{normalized(username)}:{int(moment.timestamp() // window)}"
    if ratelimit.hit("login-alert", key, window * 2) > 1:
        return
    when = moment.isoformat()
    transaction.on_commit(lambda: send_attack_alert.enqueue(username, ip_address or "", when))


def privacy_contact():
    return (
        SiteSettings.objects.filter(site__is_default_site=True)
        .values_list("privacy_officer_email", flat=True)
        .first()
    )


@task()
def send_attack_alert(username, ip_address, when):
    """The owner's email (nothing to do if it was not them; how to change the password) and the
    contact's (which account, from where, how to unlock)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return
    base = links.base_url()
    context = {
        "user": user,
        "username": username,
        "ip_address": ip_address or "inconnue",
        "when": timezone.localtime(datetime.fromisoformat(when)),
        "limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_hours": settings.AXES_COOLOFF_TIME,
        "login_url": links.absolute_url(login_path(), base=base),
        "reset_url": links.absolute_url(reverse("wagtailadmin_password_reset"), base=base),
        "unlock_url": links.absolute_url(reverse("collectif_locked_accounts"), base=base),
    }
    if user.email and user.is_active:
        EmailMessage(
            subject=single_line(OWNER_SUBJECT),
            body=render_to_string("collectif/emails/attack_owner.txt", context),
            to=[user.email],
        ).send()
    contact = privacy_contact()
    if contact and contact.lower() != (user.email or "").lower():
        EmailMessage(
            subject=single_line(CONTACT_SUBJECT.format(username=username)),
            body=render_to_string("collectif/emails/attack_contact.txt", context),
            to=[contact],
        ).send()
