"""The production check's mail: Django's file backend, slowed down by CHECK_MAIL_DELAY
seconds before each send, so that the chaos phase can kill a worker in the middle of one
(nothing is written until the delay is over)."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("CHECK_MAIL_DELAY", "0")))
        return super().send_messages(email_messages)
