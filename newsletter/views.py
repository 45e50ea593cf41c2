import logging

from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from collectif import ratelimit
from collectif.links import base_url

from .forms import CONSENT_TEXT, SubscribeForm, started_token
from .models import CONFIRM, UNSUBSCRIBE, Subscriber, new_key
from .tasks import send_confirmation

logger = logging.getLogger(__name__)

NO_START_MESSAGE = (
    "Ce formulaire a expiré ou vient d’une autre fenêtre de navigation : vérifiez votre "
    "adresse, puis cliquez de nouveau sur « S’inscrire »."
)


@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("newsletter-ip", methods=["POST"])
def signup(request):
    # The footer's form of every page leads here by GET with the typed address.
    form = SubscribeForm(
        request.POST or None, initial={"email": request.GET.get("courriel", "")[:254]}
    )
    context = {"form": form, "started": started_token(request)}
    if request.method == "POST":
        if form.is_robot():
            # Answered like a success, so that the robot learns nothing.
            logger.info("Inscription à l’infolettre refusée : champ piège rempli")
            return redirect("newsletter:thanks")
        if form.is_valid():
            timing = form.timing(request)
            if timing == "no start":
                logger.info("Inscription à l’infolettre refusée : heure de début absente")
                form.add_error(None, NO_START_MESSAGE)
                return TemplateResponse(request, "newsletter/signup.html", context, status=400)
            if timing == "too fast":
                # Back once, with the address kept and a way through on the next send.
                context["too_fast"] = True
                context["again"] = started_token(request)
                return TemplateResponse(request, "newsletter/signup.html", context)
            subscribe(form.cleaned_data["email"], base=base_url(request))
            # The same answer whether the address is new or known: a form must not tell who
            # is subscribed.
            return redirect("newsletter:thanks")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "newsletter/signup.html", context, status=status)


def subscribe(email, base=None):
    email = email.strip()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, consent_text=CONSENT_TEXT)
            except IntegrityError:
                subscriber = Subscriber.objects.get(email__iexact=email)
        elif subscriber.unsubscribed_at:
            # Coming back: a new consent, new links and a new confirmation.
            subscriber.unsubscribed_at = subscriber.confirmed_at = None
            subscriber.key = new_key()
            subscriber.consent_text = CONSENT_TEXT
            subscriber.save()
        # One confirmation email per address per hour, whatever the number of sign-ups, so
        # that the form cannot be used to flood someone's mailbox.
        if subscriber.confirmed_at is None and ratelimit.allow("newsletter-address", email):
            send_confirmation.enqueue(subscriber.pk, base, timezone.now().isoformat())
    return subscriber


def thanks(request):
    return TemplateResponse(request, "newsletter/thanks.html")


def subscriber_or_404(token, purpose):
    subscriber = Subscriber.objects.by_token(token, purpose)
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
