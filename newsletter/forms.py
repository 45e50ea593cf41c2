from django import forms

CONSENT_TEXT = (
    "J’accepte de recevoir l’infolettre du Collectif petite enfance. Mon adresse ne sert qu’à "
    "cet envoi et n’est jamais partagée; je peux me désabonner en tout temps par le lien de "
    "chaque message."
)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Votre courriel",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse courriel.",
            "invalid": "Cette adresse courriel n’est pas valide (exemple : nom@domaine.ca).",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Cochez la case de consentement pour vous inscrire."},
    )
