"""Email subjects from text the team writes: one line, so that no title can break a mail
(a line break in a header makes Django raise BadHeaderError)."""

from django.template.loader import render_to_string

MAX_SUBJECT_LENGTH = 200


def single_line(text, max_length=MAX_SUBJECT_LENGTH):
    """`text` on one line: every run of whitespace (line breaks included) becomes one space,
    control characters are dropped, and the result is cut at `max_length` with an ellipsis."""
    text = "".join(ch if ch.isprintable() or ch.isspace() else " " for ch in str(text or ""))
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def render_subject(template_name, context=None, request=None):
    """A subject template rendered, then made `single_line`."""
    return single_line(render_to_string(template_name, context, request=request))
