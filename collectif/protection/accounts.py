"""Who may manage whose account in the admin (docs/permissions.md, docs/groupes.md).

A superuser manages every account. Anyone else who may change accounts (the « Administration »
group) manages only the accounts it cannot use to gain rights:

- never a superuser's account, and never the « is_superuser » box;
- never an account in a group that manages accounts (a group with a permission on users or
  groups, such as « Administration » itself), and never puts anyone in such a group.

The rule is enforced by the views and the forms (a crafted request gets a 403 or a French form
error), not only by what the screens show. Wagtail's user viewset is replaced by ours through
`collectif.apps.UsersConfig` (INSTALLED_APPS).

« Comptes verrouillés » (Paramètres) lists the failed logins of the lockout window
(collectif/protection/lockout.py) and unlocks an account or an address, under the same rule."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions.user_bulk_action import UserBulkAction

from axes.helpers import get_cool_off
from axes.models import AccessAttempt

User = wagtail_users.User
security_logger = logging.getLogger("collectif.protection.security")
# The Wagtail log entry on the account (its « Historique »).
UNLOCKED = "collectif.account_unlocked"

# A group with any of these permissions manages accounts: only a superuser puts someone in it.
ACCOUNT_MODELS = ("user", "group")


def account_permissions():
    return Permission.objects.filter(
        content_type__app_label="auth", content_type__model__in=ACCOUNT_MODELS
    )


def reserved_groups():
    """The groups that manage accounts (they hold a permission on users or groups)."""
    return Group.objects.filter(permissions__in=account_permissions()).distinct()


def reserved_groups_excluded():
    return Group.objects.exclude(pk__in=reserved_groups().values("pk"))


def assignable_groups(actor):
    """The groups `actor` may put an account in, or take it out of."""
    if actor.is_superuser:
        return Group.objects.all()
    return reserved_groups_excluded()


def can_manage_account(actor, account):
    """True when `actor` may edit, deactivate, delete or unlock `account`."""
    if actor.is_superuser:
        return True
    if not actor.is_active or not actor.has_perm("auth.change_user"):
        return False
    if account.is_superuser:
        return False
    return not account.groups.filter(pk__in=reserved_groups().values("pk")).exists()


class LimitedGroupsMixin:
    """The form as `for_user` may fill it: without « is_superuser » and with only the groups
    it may assign, unless it is a superuser (without `for_user`, as for anyone else). A crafted
    value for a hidden group is refused by the field (« Sélectionnez un choix valide »); a
    crafted « is_superuser » is ignored, since the form has no such field."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        if for_user is not None and for_user.is_superuser:
            return
        self.fields.pop("is_superuser", None)
        if "groups" in self.fields:
            groups = assignable_groups(for_user) if for_user else reserved_groups_excluded()
            self.fields["groups"].queryset = groups.order_by("name")


class AccountCreationForm(LimitedGroupsMixin, UserCreationForm):
    pass


class AccountEditForm(LimitedGroupsMixin, UserEditForm):
    pass


class ForUserFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs


class GuardedAccountMixin:
    """Refuses (403) a screen on an account that the person may not manage."""

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_account(request.user, self.get_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class IndexView(wagtail_users.IndexView):
    def get_edit_url(self, instance):
        if can_manage_account(self.request.user, instance):
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if can_manage_account(self.request.user, instance):
            return super().get_delete_url(instance)
        return None

    def get_copy_url(self, instance):
        if can_manage_account(self.request.user, instance):
            return super().get_copy_url(instance)
        return None


class CreateView(ForUserFormMixin, wagtail_users.CreateView):
    pass


class CopyView(GuardedAccountMixin, ForUserFormMixin, generic.CopyView):
    pass


class EditView(GuardedAccountMixin, ForUserFormMixin, wagtail_users.EditView):
    pass


class DeleteView(GuardedAccountMixin, wagtail_users.DeleteView):
    pass


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    copy_view_class = CopyView
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update=False):
        return AccountEditForm if for_update else AccountCreationForm


def refuse_bulk_actions_on_reserved_accounts(request, action_type, objects, action):
    """The users' list acts on several accounts at once (activate, deactivate, delete, give a
    group): refused as a whole when one of them, or the group given, is out of reach."""
    if not isinstance(action, UserBulkAction):
        return None
    if any(not can_manage_account(request.user, account) for account in objects):
        raise PermissionDenied
    form = getattr(action, "cleaned_form", None)
    role = form.cleaned_data.get("role") if form is not None else None
    if role is not None and not assignable_groups(request.user).filter(pk=role.pk).exists():
        raise PermissionDenied
    return None


# « Comptes verrouillés »: the failed logins of the lockout window, and the buttons that
# unlock an account or an address before the window ends.


def unlock_username(actor, username):
    """Forgets the failures of `username` (from every address): its owner may log in again
    everywhere. Refused (PermissionDenied) on an account that `actor` may not manage."""
    account = User.objects.filter(username=username).first()
    if account is not None and not can_manage_account(actor, account):
        raise PermissionDenied
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    security_logger.warning(
        "Compte « %s » débloqué par « %s » (%s tentatives oubliées)",
        username,
        actor.get_username(),
        count,
    )
    if account is not None:
        log(instance=account, action=UNLOCKED, user=actor, data={"address": ""})
    return count


def unlock_address(actor, ip_address):
    """Forgets the failures made from `ip_address`, except, for someone who is not a superuser,
    those on accounts it may not manage (a superuser's failures stay counted)."""
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if not actor.is_superuser:
        out_of_reach = [
            account.username
            for account in User.objects.filter(
                username__in=attempts.values("username")
            ).prefetch_related("groups")
            if not can_manage_account(actor, account)
        ]
        attempts = attempts.exclude(username__in=out_of_reach)
    usernames = set(attempts.values_list("username", flat=True))
    count, _ = attempts.delete()
    security_logger.warning(
        "Adresse %s débloquée par « %s » (%s tentatives oubliées)",
        ip_address,
        actor.get_username(),
        count,
    )
    for account in User.objects.filter(username__in=usernames):
        log(instance=account, action=UNLOCKED, user=actor, data={"address": ip_address})
    return count


def require_account_manager(request):
    if not request.user.has_perm("auth.change_user"):
        raise PermissionDenied


class LockedAccountsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "collectif/admin/locked_accounts.html"
    page_title = "Comptes verrouillés"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        require_account_manager(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        limit = settings.AXES_FAILURE_LIMIT
        since = timezone.now() - get_cool_off()
        attempts = list(
            AccessAttempt.objects.filter(attempt_time__gte=since).order_by("-attempt_time")
        )
        accounts = {
            account.username: account
            for account in User.objects.filter(
                username__in={a.username for a in attempts}
            ).prefetch_related("groups")
        }
        by_address = {}
        for attempt in attempts:
            entry = by_address.setdefault(
                attempt.ip_address, {"address": attempt.ip_address, "failures": 0, "names": set()}
            )
            entry["failures"] += attempt.failures_since_start
            entry["names"].add(attempt.username)
            account = accounts.get(attempt.username)
            attempt.locked = attempt.failures_since_start >= limit
            attempt.account = account
            attempt.can_unlock = account is None or can_manage_account(self.request.user, account)
        context.update(
            attempts=attempts,
            addresses=[
                {**entry, "names": sorted(n for n in entry["names"] if n)}
                for entry in by_address.values()
                if entry["failures"] >= limit
            ],
            limit=limit,
            cooloff_hours=settings.AXES_COOLOFF_TIME,
        )
        return context

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "").strip()
        address = request.POST.get("ip_address", "").strip()
        if username:
            unlock_username(request.user, username)
            messages.success(request, f"Le compte « {username} » est débloqué.")
        elif address:
            unlock_address(request.user, address)
            messages.success(request, f"L’adresse {address} est débloquée.")
        else:
            messages.error(request, "Indiquez le compte ou l’adresse à débloquer.")
        return redirect("collectif_locked_accounts")
