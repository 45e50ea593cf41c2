from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from django_tasks import task


@task()
def send_confirmation(subscriber_id):
    from .models import Subscriber

    subscriber = Subscriber.objects.filter(pk=subscriber_id, confirmed_at__isnull=True).first()
    if subscriber is None:
        return
    context = {
        "subscriber": subscriber,
        "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
    }
    EmailMessage(
        subject="Confirmez votre inscription à l’infolettre du Collectif petite enfance",
        body=render_to_string("newsletter/emails/confirmation.txt", context),
        to=[subscriber.email],
        headers={"List-Unsubscribe": f"<{context['base_url']}{subscriber.unsubscribe_path()}>"},
    ).send()
