from django import template

from newsletter.forms import CONSENT_TEXT, SubscribeForm, started_token

register = template.Library()


@register.inclusion_tag("components/newsletter_form.html", takes_context=True)
def newsletter_form(context, form=None, prefix="pied", too_fast=False):
    """The sign-up form; `prefix` keeps its ids unique when a page shows it twice."""
    site_settings = context.get("settings")
    privacy_page = None
    if site_settings is not None:
        privacy_page = site_settings["collectif"]["SiteSettings"].privacy_page
    return {
        "form": form or SubscribeForm(),
        "prefix": prefix,
        "consent_text": CONSENT_TEXT,
        "csrf_token": context.get("csrf_token"),
        "started": context.get("started") or started_token(),
        "again": context.get("again", ""),
        "too_fast": too_fast,
        "privacy_page": privacy_page,
        "request": context.get("request"),
    }
