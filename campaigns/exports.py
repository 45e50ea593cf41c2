"""Spreadsheet exports that are safe to open: a cell that a spreadsheet would read as a
formula is neutralised in CSV (a leading apostrophe) and typed as text in XLSX."""

import csv
import io

from django.utils.timezone import localtime

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from collectif.exports import neutralise

STATUS_TEXT = {"declined": "[a décliné]", "pending": "[réponse à venir{date}]"}


def answer_text(answer):
    if answer is None:
        return ""
    status = answer.get("status")
    if status == "pending":
        date = answer.get("pending_until")
        return STATUS_TEXT["pending"].format(date=f" d’ici le {date}" if date else "")
    if status == "declined":
        return STATUS_TEXT["declined"]
    return answer.get("answer", "")


def response_state(response, submitted_only):
    """(status, answers by key, submitted?) of a party's response, or of its absence. The
    public sees submitted answers only; the team also sees drafts."""
    if response and response.submitted_at:
        answers = {a["key"]: a for a in response.submitted_answers}
        pending_draft = response.status == response.DRAFT and not submitted_only
        return ("soumise, corrections en brouillon" if pending_draft else "soumise"), answers, True
    if response and not submitted_only:
        return "brouillon", {a["key"]: a for a in response.answers}, False
    return "n’a pas répondu", {}, False


def campaign_table(campaign, submitted_only=False):
    """Header and rows: one row per party and questionnaire, one column per question."""
    from .models import Response

    questionnaires = list(campaign.questionnaires.prefetch_related("questions"))
    invitations = list(campaign.invitations.select_related("party"))
    responses = {
        (r.questionnaire_id, r.party_id): r
        for r in Response.objects.filter(questionnaire__campaign=campaign)
    }
    columns = []
    for questionnaire in questionnaires:
        prefix = f"{questionnaire.title} — " if len(questionnaires) > 1 else ""
        columns += [
            (questionnaire.pk, q.clean_name, prefix + q.label)
            for q in questionnaire.questions.all()
        ]
    header = ["Parti", "Questionnaire", "Statut", "Répondant·e", "Soumise le"]
    header += [title for _, _, title in columns]
    rows = []
    for questionnaire in questionnaires:
        for invitation in invitations:
            response = responses.get((questionnaire.pk, invitation.party_id))
            status, answers, submitted = response_state(response, submitted_only)
            row = [
                invitation.party.name,
                questionnaire.title,
                status,
                response.submitted_by if submitted else "",
                localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M") if submitted else "",
            ]
            for questionnaire_pk, key, _ in columns:
                in_row = questionnaire_pk == questionnaire.pk
                row.append(answer_text(answers.get(key)) if in_row else "")
            rows.append(row)
    return header, rows


def to_csv(header, rows):
    buffer = io.StringIO()
    # A byte order mark, so that spreadsheet programs read the accents as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(header, rows, title="Réponses"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row_number, row in enumerate([header, *rows], start=1):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = "" if value is None else str(value)
            # openpyxl reads "=…" as a formula: force every cell to be plain text.
            cell.data_type = TYPE_STRING
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
