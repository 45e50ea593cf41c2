from django import template

from newsletter.forms import CONSENT_TEXT, SubscribeForm, started_token

register = template.Library()


@register.inclusion_tag("components/newsletter_form.html", takes_context=True)
def newsletter_form(
    context, form=None, prefix="pied", too_fast=False, action="", button="", consent_text=""
):
    """The sign-up form; `prefix` keeps its ids unique when a page shows it twice. `action`,
    `button` and `consent_text` make it the form of another sign-up (following a campaign)."""
    return {
        "form": form or SubscribeForm(),
        "prefix": prefix,
        "consent_text": consent_text or CONSENT_TEXT,
        "action": action,
        "button": button,
        "csrf_token": context.get("csrf_token"),
        "started": context.get("started") or started_token(context.get("request")),
        "again": context.get("again", ""),
        "too_fast": too_fast,
        "settings": context.get("settings"),
        "request": context.get("request"),
    }
