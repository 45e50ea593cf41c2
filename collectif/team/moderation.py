"""Wagtail's review emails (a page submitted for review, approved, rejected), sent through
`collectif.mail.send_email` like every email of the site, and one per event.

Wagtail connects two notifiers to one submission: the workflow's (`workflow_submitted`, to
every superuser) and its first task's (`task_submitted`, to the reviewers' group and every
superuser), so that a superuser got two emails for one submission. Here the task's notifier is
the one email of a submission (each later task of a workflow sends its own), and the workflow's
sends nothing. Our notifiers take Wagtail's `dispatch_uid`s before Wagtail connects its own
(the collectif app comes before wagtail.admin in INSTALLED_APPS, and a signal ignores a second
receiver with the same uid)."""

import logging

from django.utils.translation import override

from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import (
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from collectif.mail import send_email

logger = logging.getLogger(__name__)


class SiteEmailNotifierMixin:
    """Wagtail's notifier, its French text sent by `send_email` (the site's look, Reply-To)."""

    def send_emails(self, template_set, context, recipients, **kwargs):
        template = template_set["text"].removesuffix(".txt")
        sent = 0
        for recipient in recipients:
            context["user"] = recipient
            try:
                with override(recipient.wagtail_userprofile.get_preferred_language()):
                    send_email(
                        template,
                        context,
                        [recipient.email],
                        headers={"Auto-Submitted": "auto-generated"},
                        own_html=False,
                    )
                sent += 1
            except Exception:
                # As Wagtail does: a mail server that refuses never blocks the review itself.
                logger.exception("Courriel de révision non envoyé à %s", recipient.email)
        return sent == len(recipients)


class ReviewRequestNotifier(SiteEmailNotifierMixin, GroupApprovalTaskStateSubmissionEmailNotifier):
    pass


class ApprovalNotifier(SiteEmailNotifierMixin, WorkflowStateApprovalEmailNotifier):
    pass


class RejectionNotifier(SiteEmailNotifierMixin, WorkflowStateRejectionEmailNotifier):
    pass


def workflow_submitted_sends_nothing(sender, **kwargs):
    """The submission's one email is its task's (ReviewRequestNotifier)."""


review_request_notifier = ReviewRequestNotifier()
approval_notifier = ApprovalNotifier()
rejection_notifier = RejectionNotifier()


def connect():
    task_submitted.connect(
        review_request_notifier,
        sender=TaskState,
        dispatch_uid="group_approval_task_submitted_email_notification",
    )
    workflow_submitted.connect(
        workflow_submitted_sends_nothing,
        sender=WorkflowState,
        dispatch_uid="workflow_state_submitted_email_notification",
    )
    workflow_rejected.connect(
        rejection_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_rejected_email_notification",
    )
    workflow_approved.connect(
        approval_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_approved_email_notification",
    )
