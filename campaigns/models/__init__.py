"""The campaigns' models, one module per concept."""

from .campaigns import (
    MAX_REMINDER_DAYS,
    Campaign,
    Invitation,
    parse_reminder_offsets,
    validate_reminder_offsets,
)
from .parties import Party
from .questionnaires import Question, Questionnaire
from .reminders import Reminder
from .responses import Response, ResponseVersion

__all__ = [
    "MAX_REMINDER_DAYS",
    "Campaign",
    "Invitation",
    "Party",
    "Question",
    "Questionnaire",
    "Reminder",
    "Response",
    "ResponseVersion",
    "parse_reminder_offsets",
    "validate_reminder_offsets",
]
