"""Every email the site sends, sent one way: `send_email`.

A message is made of templates named after one path, e.g. "newsletter/emails/confirmation":

- `<path>_subject.txt`: the subject, made one line (`single_line`: a line break in a header
  makes Django raise BadHeaderError, whatever the titles typed by the team);
- `<path>.txt`: the text part, in French (wrap it in `{% autoescape off %}`);
- `<path>.html` (optional): the HTML part, extending "emails/base.html". Without it, the HTML
  part is the text part in the site's look, with its addresses made links.

Every message gets the site's look (CSS inlined: mail programs drop <style>), absolute links
on the address the person used (`base`, else `collectif.content.links.base_url()`), From
DEFAULT_FROM_EMAIL and, when the team set one, a Reply-To to the Collectif's contact address
(Paramètres › Paramètres du site › courriel de contact): a reply never ends in `noreply@`.
"""

import re

from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

import css_inline

from collectif.content import links
from collectif.models import SiteSettings

MAX_SUBJECT_LENGTH = 200
# A link or a source on a path of the site (href="/…", not "//host…"): made absolute.
RELATIVE_LINK = re.compile(r'(\b(?:href|src)=["\'])/(?!/)')


def single_line(text, max_length=MAX_SUBJECT_LENGTH):
    """`text` on one line: every run of whitespace (line breaks included) becomes one space,
    control characters are dropped, and the result is cut at `max_length` with an ellipsis."""
    text = "".join(ch if ch.isprintable() or ch.isspace() else " " for ch in str(text or ""))
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def render_subject(template_name, context=None, request=None):
    """A subject template rendered, then made `single_line`."""
    return single_line(render_to_string(template_name, context, request=request))


def reply_to_address():
    """The Collectif's contact address from the site settings, or None when it has none."""
    return SiteSettings.objects.values_list("contact_email", flat=True).first() or None


def render_email(template, context=None, base=None, own_html=True):
    """(subject, text, html) of the message `template`, its links on `base`. `own_html=False`:
    the HTML part is made from the text even if `<template>.html` exists (Wagtail's)."""
    base = (base or links.base_url()).rstrip("/")
    context = {**(context or {}), "site_url": base}
    subject = render_subject(f"{template}_subject.txt", context)
    text = render_to_string(f"{template}.txt", context).strip() + "\n"
    try:
        if not own_html:
            raise TemplateDoesNotExist(template)
        html = render_to_string(f"{template}.html", {**context, "subject": subject})
    except TemplateDoesNotExist:
        html = render_to_string(
            "emails/from_text.html", {**context, "subject": subject, "text": text}
        )
    html = RELATIVE_LINK.sub(lambda m: m.group(1) + base + "/", html)
    return subject, text, css_inline.inline(html)


def send_email(template, context, to, *, base=None, headers=None, connection=None, own_html=True):
    """Sends the message `template` (see the module's docstring) to the addresses `to`.

    `context`: what the templates read; `site_url` (the site's address) is added. `base`: the
    address of the site as the person saw it (from the request that queued the mail), else the
    default site's. `headers`: more headers (List-Unsubscribe…). Raises what the mail server
    raises (smtplib.SMTPException, OSError): a task decides whether to try again."""
    subject, text, html = render_email(template, context, base, own_html)
    reply_to = reply_to_address()
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=list(to),
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message.send()
