import logging

from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from campaigns.models import Campaign
from collectif.content.links import base_url
from collectif.protection import ratelimit

from .forms import CONSENT_TEXT, FOLLOW_CONSENT_TEXT, FollowForm, SubscribeForm, started_token
from .models import (
    CONFIRM,
    FOLLOW_CONFIRM,
    FOLLOW_UNSUBSCRIBE,
    UNSUBSCRIBE,
    Follower,
    Subscriber,
    new_key,
)
from .tasks import send_confirmation, send_follow_confirmation

logger = logging.getLogger(__name__)

NO_START_MESSAGE = (
    "Ce formulaire a expiré ou vient d’une autre fenêtre de navigation : vérifiez votre "
    "adresse, puis cliquez de nouveau sur le bouton."
)

NO_START_MESSAGE = (
    "Ce formulaire a expiré ou vient d’une autre fenêtre de navigation : vérifiez votre "
    "adresse, puis cliquez de nouveau sur « S’inscrire »."
)


@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("newsletter-ip", methods=["POST"])
def signup(request):
    return signup_flow(
        request,
        SubscribeForm,
        "newsletter/signup.html",
        lambda email: subscribe(email, base=base_url(request)),
        "newsletter:thanks",
    )


def signup_flow(request, form_class, template, sign_up, thanks_url, context=None):
    """A public sign-up form and its protections, for the newsletter and for following a
    campaign: the honeypot, the time it took to fill in (from a start bound to the visitor),
    the typed address kept when the form comes back (with a 400), and the same answer whether
    the address is new or known. `sign_up(email)` does the sign-up; `thanks_url` is where the
    person goes next."""
    # The footer's form (and « Suivre cette campagne ») lead here by GET with the address.
    form = form_class(
        request.POST or None, initial={"email": request.GET.get("courriel", "")[:254]}
    )
    context = {**(context or {}), "form": form, "started": started_token(request)}
    if request.method == "POST":
        if form.is_robot():
            # Answered like a success, so that the robot learns nothing.
            logger.info("Inscription refusée (%s) : champ piège rempli", request.path)
            return redirect(thanks_url)
        if form.is_valid():
            timing = form.timing(request)
            if timing == "no start":
                logger.info("Inscription refusée (%s) : heure de début absente", request.path)
                form.add_error(None, NO_START_MESSAGE)
                return TemplateResponse(request, template, context, status=400)
            if timing == "too fast":
                # Back once, with the address kept and a way through on the next send.
                context["too_fast"] = True
                context["again"] = started_token(request)
                return TemplateResponse(request, template, context)
            sign_up(form.cleaned_data["email"])
            # The same answer whether the address is new or known: a form must not tell who
            # is subscribed.
            return redirect(thanks_url)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, template, context, status=status)


def subscribe(email, base=None):
    return sign_up(Subscriber.objects.all(), {}, email, CONSENT_TEXT, send_confirmation, base=base)


def sign_up(signups, fields, email, consent_text, confirmation_task, base=None):
    """The sign-up of `email` among `signups` (the newsletter's, or a campaign's followers,
    with `fields` to create it), and its confirmation email queued. One row per address:
    coming back after leaving gives a new consent, new links and a new confirmation."""
    email = email.strip()
    with transaction.atomic():
        signup = signups.select_for_update().filter(email__iexact=email).first()
        if signup is None:
            try:
                with transaction.atomic():
                    signup = signups.create(email=email, consent_text=consent_text, **fields)
            except IntegrityError:
                signup = signups.get(email__iexact=email)
        elif signup.unsubscribed_at:
            signup.unsubscribed_at = signup.confirmed_at = None
            signup.key = new_key()
            signup.consent_text = consent_text
            signup.save()
        # One confirmation email per address per hour, whatever the number of sign-ups (to
        # the newsletter or to follow campaigns), so that the forms cannot be used to flood
        # someone's mailbox.
        if signup.confirmed_at is None and ratelimit.allow("newsletter-address", email):
            confirmation_task.enqueue(signup.pk, base, timezone.now().isoformat())
    return signup


def thanks(request):
    return TemplateResponse(request, "newsletter/thanks.html")


def subscriber_or_404(token, purpose, model=Subscriber):
    subscriber = model.objects.by_token(token, purpose)
    if subscriber is None:
        raise Http404("Lien inconnu")
    return subscriber


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """A GET (a mail scanner following the link) shows a button; only its POST confirms."""
    subscriber = subscriber_or_404(token, CONFIRM)
    if request.method == "POST" and subscriber.confirmed_at is None:
        if subscriber.unsubscribed_at is None:
            subscriber.confirmed_at = timezone.now()
            Subscriber.objects.filter(pk=subscriber.pk).update(
                confirmed_at=subscriber.confirmed_at
            )
    return TemplateResponse(request, "newsletter/confirmed.html", {"subscriber": subscriber})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """A GET shows a button. A POST unsubscribes: from that button, or straight from the mail
    program (RFC 8058 one-click, `List-Unsubscribe=One-Click`), which has no CSRF token. The
    token in the address is the proof; unsubscribing twice changes nothing."""
    subscriber = subscriber_or_404(token, UNSUBSCRIBE)
    if request.method == "POST" and subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    return TemplateResponse(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("newsletter-ip", methods=["POST"])
def follow(request, slug):
    """« Suivre cette campagne »: the newsletter's form and protections, for one campaign."""
    campaign = get_object_or_404(Campaign, slug=slug)
    followers = Follower.objects.filter(campaign=campaign)
    return signup_flow(
        request,
        FollowForm,
        "newsletter/follow.html",
        lambda email: sign_up(
            followers,
            {"campaign": campaign},
            email,
            FOLLOW_CONSENT_TEXT,
            send_follow_confirmation,
            base=base_url(request),
        ),
        reverse("newsletter:follow_thanks", args=[campaign.slug]),
        {"campaign": campaign, "consent_text": FOLLOW_CONSENT_TEXT},
    )


def follow_thanks(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    return TemplateResponse(request, "newsletter/follow_thanks.html", {"campaign": campaign})


@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    """A GET (a mail scanner following the link) shows a button; only its POST confirms."""
    follower = subscriber_or_404(token, FOLLOW_CONFIRM, Follower)
    if request.method == "POST" and follower.confirmed_at is None:
        if follower.unsubscribed_at is None:
            follower.confirmed_at = timezone.now()
            Follower.objects.filter(pk=follower.pk).update(confirmed_at=follower.confirmed_at)
    return TemplateResponse(
        request,
        "newsletter/follow_confirmed.html",
        {"follower": follower, "campaign": follower.campaign},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def follow_unsubscribe(request, token):
    """Like `unsubscribe`: a GET shows a button; a POST (that button, or the mail program's
    RFC 8058 one-click) stops the emails of this campaign."""
    follower = subscriber_or_404(token, FOLLOW_UNSUBSCRIBE, Follower)
    if request.method == "POST" and follower.unsubscribed_at is None:
        follower.unsubscribed_at = timezone.now()
        follower.save(update_fields=["unsubscribed_at"])
    return TemplateResponse(
        request,
        "newsletter/follow_unsubscribe.html",
        {"follower": follower, "campaign": follower.campaign},
    )
