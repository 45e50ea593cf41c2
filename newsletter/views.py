from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .forms import CONSENT_TEXT, SubscribeForm
from .models import Subscriber, new_token
from .tasks import send_confirmation


@require_http_methods(["GET", "POST"])
def signup(request):
    # The footer's form of every page leads here by GET with the typed address.
    form = SubscribeForm(
        request.POST or None, initial={"email": request.GET.get("courriel", "")[:254]}
    )
    if request.method == "POST" and form.is_valid():
        subscribe(form.cleaned_data["email"])
        # The same answer whether the address is new or known: a form must not tell who
        # is subscribed.
        return redirect("newsletter:thanks")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "newsletter/signup.html", {"form": form}, status=status)


def subscribe(email):
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
            # Coming back: a new consent and a new confirmation.
            subscriber.unsubscribed_at = subscriber.confirmed_at = None
            subscriber.token = new_token()
            subscriber.consent_text = CONSENT_TEXT
            subscriber.save()
        if subscriber.confirmed_at is None:
            send_confirmation.enqueue(subscriber.pk)
    return subscriber


def thanks(request):
    return TemplateResponse(request, "newsletter/thanks.html")


def confirm(request, token):
    subscriber = get_object_or_404(Subscriber, token=token)
    if subscriber.confirmed_at is None and subscriber.unsubscribed_at is None:
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmed_at=timezone.now())
    return TemplateResponse(request, "newsletter/confirmed.html", {"subscriber": subscriber})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST" and subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    return TemplateResponse(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
