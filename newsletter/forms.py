import time

from django import forms
from django.conf import settings
from django.core import signing

CONSENT_TEXT = (
    "J’accepte de recevoir l’infolettre du Collectif petite enfance. Mon adresse sert "
    "seulement à cet envoi : elle n’est ni vendue ni communiquée à d’autres organisations, "
    "sauf au service qui expédie l’infolettre pour le Collectif. Je peux me désabonner en tout "
    "temps par le lien de chaque message."
)

STARTED_SALT = "newsletter.form-started"


def started_token(now=None):
    """When the form was shown, signed: a robot fills it in faster than a person can."""
    return signing.dumps(now if now is not None else time.time(), salt=STARTED_SALT)


def seconds_since(token):
    """Seconds since `token` was made, or None for a missing or forged token."""
    try:
        started = float(signing.loads(token or "", salt=STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - started


class SubscribeForm(forms.Form):
    email = forms.EmailField(
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
    # When the form was shown (started_token); see is_too_fast.
    started = forms.CharField(required=False, max_length=200)
    # Set when the form came back once for being too fast: the next send is accepted.
    again = forms.CharField(required=False, max_length=200)

    def is_robot(self):
        return bool(self.data.get("website", "").strip())

    def is_too_fast(self):
        """Sent sooner than FORM_MIN_FILL_SECONDS after the form was shown. Never twice in a
        row: a person who was that fast gets the form back once, then gets through."""
        again = seconds_since(self.data.get("again"))
        if again is not None and again < 3600:
            return False
        elapsed = seconds_since(self.data.get("started"))
        return elapsed is None or elapsed < settings.FORM_MIN_FILL_SECONDS


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
