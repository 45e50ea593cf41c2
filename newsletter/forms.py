import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.utils.crypto import constant_time_compare, salted_hmac

CONSENT_TEXT = (
    "J’accepte de recevoir l’infolettre du Collectif petite enfance. Mon adresse sert "
    "seulement à cet envoi : elle n’est ni vendue ni communiquée à d’autres organisations, "
    "sauf au service qui expédie l’infolettre pour le Collectif. Je peux me désabonner en tout "
    "temps par le lien de chaque message."
)

STARTED_SALT = "newsletter.form-started"
# More combining marks than this on one letter is not an address anyone types.
MAX_COMBINING_MARKS = 2


def visitor_binding(request):
    """A digest of the visitor's CSRF secret (never the secret itself: the token is in the
    page): a token made for one visitor is worth nothing in another's session."""
    if request is None:
        return ""
    get_token(request)  # the secret exists from now on (and its cookie is sent)
    secret = request.META.get("CSRF_COOKIE") or ""
    return salted_hmac(STARTED_SALT, secret, algorithm="sha256").hexdigest()[:32]


def started_token(request, now=None):
    """When the form was shown to this visitor, signed: a robot fills it in faster than a
    person can, or sends no start at all."""
    started = now if now is not None else time.time()
    return signing.dumps({"t": started, "v": visitor_binding(request)}, salt=STARTED_SALT)


def seconds_since(token, request):
    """Seconds since `token` was made for this visitor, or None for a missing, forged or
    someone else's token."""
    try:
        value = signing.loads(token or "", salt=STARTED_SALT)
        started, binding = float(value["t"]), str(value["v"])
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None
    expected = visitor_binding(request)
    if not expected or not constant_time_compare(binding, expected):
        return None
    return time.time() - started


def check_address_characters(value):
    """Refuses what no one types in an address but can hide in one: control and format
    characters (bidi overrides, zero-width spaces…) and piles of combining marks."""
    run = 0
    for char in value:
        category = unicodedata.category(char)
        if category.startswith("C") or category in ("Zl", "Zp"):
            raise ValidationError(
                "Cette adresse contient des caractères invisibles ou de contrôle : "
                "retapez-la sans copier-coller.",
                code="invisible",
            )
        run = run + 1 if category.startswith("M") else 0
        if run > MAX_COMBINING_MARKS:
            raise ValidationError(
                "Cette adresse contient trop de signes combinés sur une même lettre : retapez-la.",
                code="combining",
            )


class AddressField(forms.EmailField):
    """An email address in NFC (« é » one character, as people type it), checked for hidden
    characters before Django's own validation."""

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFC", value) if value else value

    def validate(self, value):
        super().validate(value)
        if value:
            check_address_characters(value)


class SubscribeForm(forms.Form):
    email = AddressField(
        label="Votre courriel",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse courriel.",
            "invalid": "Cette adresse courriel n’est pas valide (exemple : nom@domaine.ca).",
            "max_length": "Cette adresse est trop longue (254 caractères max.).",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Cochez la case de consentement pour vous inscrire."},
    )
    # Honeypot: hidden from people (and from screen readers); robots fill every field.
    website = forms.CharField(required=False, max_length=200)
    # When the form was shown (started_token); see timing.
    started = forms.CharField(required=False, max_length=200)
    # Set when the form came back once for being too fast: the next send is accepted.
    again = forms.CharField(required=False, max_length=200)

    def is_robot(self):
        return bool(self.data.get("website", "").strip())

    def timing(self, request):
        """ "ok"; "too fast" (sent sooner than FORM_MIN_FILL_SECONDS after the form was shown:
        the form comes back once, then the next send gets through); or "no start" (no start
        time made for this visitor: a robot that drops the field, or replays another
        session's — refused, the form comes back with a new one)."""
        again = seconds_since(self.data.get("again"), request)
        if again is not None and again < 3600:
            return "ok"
        elapsed = seconds_since(self.data.get("started"), request)
        if elapsed is None:
            return "no start"
        return "too fast" if elapsed < settings.FORM_MIN_FILL_SECONDS else "ok"


FOLLOW_CONSENT_TEXT = (
    "J’accepte de recevoir les avis du Collectif petite enfance sur cette campagne : un "
    "courriel quand les réponses des partis sont publiées, puis au plus un résumé par jour de "
    "leurs corrections. Mon adresse sert seulement à ces avis : elle n’est ni vendue ni "
    "communiquée à d’autres organisations. Je peux arrêter en tout temps par le lien de chaque "
    "message."
)


class FollowForm(SubscribeForm):
    """« Suivre cette campagne »: the newsletter's form and protections, with its own consent."""

    consent = forms.BooleanField(
        label=FOLLOW_CONSENT_TEXT,
        error_messages={"required": "Cochez la case de consentement pour suivre la campagne."},
    )
