from wagtail.admin.forms.auth import PasswordResetForm

from collectif.ratelimit import allow


class LimitedPasswordResetForm(PasswordResetForm):
    """Wagtail's password reset, with at most RATE_LIMITS["password-reset-address"] emails per
    address: beyond it the page answers the same, and nothing is sent."""

    def get_users(self, email):
        if not allow("password-reset-address", email):
            return iter(())
        return super().get_users(email)
