"""The record of a campaign, for each of its readers: the theme page's table, the open data,
the team's exports and the search index. Every one of them reads answers through
`campaigns.answers.Answer` and publishes only `Answer.public()`; each function makes a fixed
number of queries, whatever the number of parties."""

from django.utils.timezone import localtime

from . import diff
from .answers import Answer, answers_by_key, french_date
from .models import Response, ResponseVersion

PUBLIC, TEAM = "public", "team"


def response_status(response, audience):
    """(code, label) of a party's response, or of its absence, as the audience may know it."""
    if response is not None and response.submitted_at:
        if audience == TEAM and response.has_unsubmitted_changes:
            return "submitted", "soumise, corrections en brouillon"
        return "submitted", "soumise"
    if response is not None and audience == TEAM:
        return "draft", "brouillon"
    return "missing", "n’a pas répondu"


def party_answers(response, audience):
    """{key: Answer} of a response for the audience: the last submission for the public (and
    for the team once submitted), the draft for the team before any submission."""
    if response is None:
        return {}
    if response.submitted_at:
        return response.submitted()
    return response.working_answers() if audience == TEAM else {}


def answer_for(question, answers):
    """The public part of a party's answer to a question, or its absence."""
    answer = answers.get(question.clean_name)
    return (answer or Answer.missing(question)).public()


class Selection:
    """The parties and questions a reader chose to compare, from the query string
    (`?partis=3&partis=7&questions=q_…`): a stable address to share. Nothing chosen: all."""

    def __init__(self, query):
        self.party_ids = {int(v) for v in query.getlist("partis") if v.isdigit()}
        self.question_keys = {v for v in query.getlist("questions") if v.startswith("q_")}

    def wants_party(self, party):
        return not self.party_ids or party.pk in self.party_ids

    def wants_question(self, question):
        return not self.question_keys or question.clean_name in self.question_keys

    @property
    def is_narrowed(self):
        return bool(self.party_ids or self.question_keys)


def published_table(questionnaire, questions, selection=None):
    """Question by question, each invited party's public answer, under the wording it
    answered, with its public history. For the questionnaire block of a theme page and the
    campaign page; `selection` narrows it to the parties and questions a reader compares."""
    campaign = questionnaire.campaign
    all_parties = [i.party for i in campaign.invitations.select_related("party")]
    parties = [p for p in all_parties if selection is None or selection.wants_party(p)]
    # Questions chosen in another questionnaire of the page narrow nothing here.
    own = {q.clean_name for q in questions}
    narrowed = selection is not None and bool(selection.question_keys & own)
    chosen = [q for q in questions if not narrowed or selection.wants_question(q)]
    responses = {r.party_id: r for r in questionnaire.responses.filter(submitted_at__isnull=False)}
    histories = published_histories(questionnaire, campaign)
    table = []
    for question in chosen:
        rows = []
        for party in parties:
            response = responses.get(party.pk)
            answer = answer_for(question, party_answers(response, PUBLIC))
            history = histories.get(response.pk, []) if response else []
            rows.append(
                {
                    "party": party,
                    "answer": answer,
                    "earlier_wording": answer.question if answer.differs_from(question) else "",
                    **answer_history(question, answer, history),
                }
            )
        table.append(
            {
                "question": question,
                "reworded_on": french_date(localtime(question.reworded_at))
                if question.reworded_at
                else "",
                "rows": rows,
            }
        )
    return {
        "campaign": campaign,
        "questionnaire": questionnaire,
        "all_parties": all_parties,
        "parties": parties,
        "questions": questions,
        "table": table,
        "selection": selection,
        "narrowed_questions": {q.clean_name for q in chosen} if narrowed else set(),
    }


def published_histories(questionnaire, campaign):
    """{response pk: [(date, {key: Answer}, entered by the team)]} of the submissions the
    public has seen: the one current when the answers became public, and every later one. One
    query."""
    since = campaign.public_since()
    if since is None:
        return {}
    versions = ResponseVersion.objects.filter(
        response__questionnaire=questionnaire, kind=ResponseVersion.SUBMITTED
    ).order_by("response_id", "number")
    by_response = {}
    for version in versions.only(
        "response_id", "number", "saved_at", "answers", "entered_by_name"
    ):
        by_response.setdefault(version.response_id, []).append(version)
    histories = {}
    for response_pk, submitted in by_response.items():
        before = [v for v in submitted if v.saved_at < since]
        seen = before[-1:] + [v for v in submitted if v.saved_at >= since]
        histories[response_pk] = [
            (v.saved_at, answers_by_key(v.answers), v.entered_by_team) for v in seen
        ]
    return histories


def answer_history(question, current, history):
    """Whether the public answer changed after it was published, when, and the earlier
    published texts with what changed, newest first; and whether the team entered the current
    text on the party's behalf (the public history says so, without naming anyone)."""
    published = []
    for saved_at, answers, by_team in history:
        answer = answer_for(question, answers)
        if not published or _public_content(published[-1][1]) != _public_content(answer):
            published.append((saved_at, answer, by_team))
    entered_by_team = bool(published) and published[-1][2]
    if len(published) < 2:
        return {
            "modified_on": "",
            "modified_at": None,
            "earlier": [],
            "entered_by_team": entered_by_team,
        }
    earlier = []
    for (since, older, _), (_, newer, _) in zip(published, published[1:], strict=False):
        earlier.append(
            {
                "answer": older,
                "published_at": since,
                "published_on": french_date(localtime(since)),
                "diff": diff.word_diff(*diff.answer_texts(older, newer)),
            }
        )
    return {
        "modified_on": french_date(localtime(published[-1][0])),
        "modified_at": published[-1][0],
        "earlier": list(reversed(earlier)),
        "entered_by_team": entered_by_team,
    }


def _public_content(answer):
    return (answer.status, answer.text, answer.explanation, answer.pending_until)


def public_search_text(questionnaires):
    """The public answers of the questionnaires whose campaign publishes them, as text for the
    search index (and the excerpts cut from it). Never a draft, never under embargo."""
    public = [q for q in questionnaires if q.campaign.results_are_public()]
    if not public:
        return ""
    questions = {}
    for questionnaire in public:
        questions[questionnaire.pk] = list(questionnaire.questions.all())
    responses = Response.objects.filter(
        questionnaire__in=public, submitted_at__isnull=False
    ).select_related("party")
    lines = []
    for response in responses:
        answers = party_answers(response, PUBLIC)
        for question in questions[response.questionnaire_id]:
            answer = answer_for(question, answers)
            if answer.is_answered:
                lines.append(f"{response.party.name} : {answer.plain_text()}")
    return "\n".join(lines)


def question_columns(questionnaires):
    """[(questionnaire pk, question, heading)] of every question, for spreadsheets."""
    columns = []
    for questionnaire in questionnaires:
        prefix = f"{questionnaire.title} — " if len(questionnaires) > 1 else ""
        for question in questionnaire.questions.all():
            columns.append((questionnaire.pk, question, prefix + question.label))
    return columns


def question_headings(columns):
    headings = []
    for _, _, heading in columns:
        headings += [heading, f"{heading} (explication)"]
    return headings


def answer_cells(columns, questionnaire_pk, answers):
    """Two cells per question: the answer's summary and its explanation (public parts)."""
    cells = []
    for column_questionnaire, question, _ in columns:
        if column_questionnaire != questionnaire_pk:
            cells += ["", ""]
            continue
        answer = answer_for(question, answers)
        cells += [answer.summary, answer.explanation]
    return cells


def campaign_table(campaign, audience):
    """Header and rows: one row per party and questionnaire, two columns per question. The
    team's table names who submitted; the public one (open data) never does."""
    questionnaires = list(campaign.questionnaires.prefetch_related("questions"))
    invitations = list(campaign.invitations.select_related("party"))
    responses = {
        (r.questionnaire_id, r.party_id): r
        for r in Response.objects.filter(questionnaire__campaign=campaign)
    }
    columns = question_columns(questionnaires)
    header = ["Parti", "Questionnaire", "Statut"]
    if audience == TEAM:
        header.append("Répondant·e")
    header += ["Soumise le", *question_headings(columns)]
    rows = []
    for questionnaire in questionnaires:
        for invitation in invitations:
            response = responses.get((questionnaire.pk, invitation.party_id))
            _, status = response_status(response, audience)
            submitted = response is not None and response.submitted_at is not None
            row = [invitation.party.name, questionnaire.title, status]
            if audience == TEAM:
                row.append(response.submitted_by if submitted else "")
            row.append(
                localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M") if submitted else ""
            )
            row += answer_cells(columns, questionnaire.pk, party_answers(response, audience))
            rows.append(row)
    return header, rows


def open_data_document(campaign):
    """The published answers of a campaign as JSON-ready data."""
    invitations = list(campaign.invitations.select_related("party"))
    questionnaires = list(campaign.questionnaires.prefetch_related("questions"))
    responses = {
        (r.questionnaire_id, r.party_id): r
        for r in Response.objects.filter(
            questionnaire__campaign=campaign, submitted_at__isnull=False
        )
    }
    document = {
        "campagne": campaign.name,
        "identifiant": campaign.slug,
        "date_limite": campaign.closes_at.isoformat(),
        "questionnaires": [],
    }
    for questionnaire in questionnaires:
        questions = list(questionnaire.questions.all())
        histories = published_histories(questionnaire, campaign)
        parties = []
        for invitation in invitations:
            response = responses.get((questionnaire.pk, invitation.party_id))
            answers = party_answers(response, PUBLIC)
            history = histories.get(response.pk, []) if response else []
            parties.append(
                {
                    "parti": invitation.party.name,
                    "sigle": invitation.party.short_name,
                    "statut": response_status(response, PUBLIC)[1],
                    "soumise_le": response.submitted_at.isoformat() if response else None,
                    "reponses": [
                        _answer_with_history(question, answer_for(question, answers), history)
                        for question in questions
                    ],
                }
            )
        document["questionnaires"].append(
            {
                "titre": questionnaire.title,
                "questions": [
                    {
                        "cle": q.clean_name,
                        "titre": q.label,
                        "texte": q.text,
                        "reformulee_le": q.reworded_at.isoformat() if q.reworded_at else None,
                    }
                    for q in questions
                ],
                "reponses": parties,
            }
        )
    return document


def _answer_with_history(question, answer, history):
    """An answer of the open data, with every earlier published version and its date."""
    changes = answer_history(question, answer, history)
    document = _answer_document(answer)
    document["modifiee_le"] = (
        changes["modified_at"].isoformat() if changes["modified_at"] else None
    )
    document["versions_publiees_precedentes"] = [
        {"publiee_le": earlier["published_at"].isoformat(), **_answer_document(earlier["answer"])}
        for earlier in changes["earlier"]
    ]
    return document


def _answer_document(answer):
    return {
        "cle": answer.key,
        "question_repondue": answer.question,
        "statut": answer.status,
        "statut_libelle": answer.status_label,
        "reponse": answer.text,
        "explication": answer.explanation,
        "reponse_prevue_le": answer.pending_until.isoformat() if answer.pending_until else None,
    }
