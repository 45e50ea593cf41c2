from wagtail.admin.forms.auth import PasswordResetForm

from collectif.mail import send_email
from collectif.protection.ratelimit import allow


class LimitedPasswordResetForm(PasswordResetForm):
    """Wagtail's password reset, with at most RATE_LIMITS["password-reset-address"] emails per
    address: beyond it the page answers the same, and nothing is sent."""

    def get_users(self, email):
        if not allow("password-reset-address", email):
            return iter(())
        return super().get_users(email)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Like every email of the site (collectif.mail), its link on the address the person
        # used to ask for it.
        send_email(
            "collectif/emails/password_reset",
            context,
            [to_email],
            base=f"{context['protocol']}://{context['domain']}",
        )
