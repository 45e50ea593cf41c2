from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from django_tasks import task

from collectif.links import absolute_url
from collectif.mail import single_line

from .models import Subscriber

SUBJECT = "Confirmez votre inscription à l’infolettre du Collectif petite enfance"


@task()
def send_confirmation(subscriber_id, base=None, requested_at=None):
    """`base`: the address of the site as the person saw it (the request that signed up).
    `requested_at` (ISO time of the sign-up): once an email has left for it, a second run of
    the task (requeued after its worker died) sends nothing."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id, confirmed_at__isnull=True).first()
    if subscriber is None or subscriber.unsubscribed_at:
        return
    requested = parse_datetime(requested_at) if requested_at else None
    sent = subscriber.confirmation_sent_at
    if requested is not None and sent is not None and sent >= requested:
        return
    confirm_url = absolute_url(subscriber.confirm_path(), base=base)
    unsubscribe_url = absolute_url(subscriber.unsubscribe_path(), base=base)
    context = {"confirm_url": confirm_url, "unsubscribe_url": unsubscribe_url}
    EmailMessage(
        subject=single_line(SUBJECT),
        body=render_to_string("newsletter/emails/confirmation.txt", context),
        to=[subscriber.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=timezone.now())
