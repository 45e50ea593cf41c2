"""The record of a campaign, for each of its readers: the theme page's table, the open data,
the team's exports and the search index. Every one of them reads answers through
`campaigns.reading.Reading`, the one rule of what an audience may read of a campaign now;
each function makes a fixed number of queries, whatever the number of parties."""

from itertools import pairwise
from urllib.parse import urlencode

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.timezone import localtime

from . import diff
from .answers import answers_by_key, french_date
from .models import Invitation, Response, ResponseVersion
from .reading import Reading, public_part


def vocabulary(campaigns, questionnaires):
    """(party ids, question keys) a comparison may choose among on a page showing these
    campaigns' questionnaires (campaigns with their invitations read once, questionnaires
    with their questions prefetched)."""
    parties = {party.pk for campaign in campaigns for party in invited_parties(campaign)}
    keys = {
        q.clean_name for questionnaire in questionnaires for q in questionnaire.questions.all()
    }
    return parties, keys


def invited_parties(campaign):
    """The parties a campaign invited, by name: read once per campaign object (a request's,
    in Django's prefetch cache), whatever asks (the table of each questionnaire, the share of
    the page)."""
    invitations = Prefetch("invitations", queryset=Invitation.objects.select_related("party"))
    prefetch_related_objects([campaign], invitations)
    return [invitation.party for invitation in campaign.invitations.all()]


class Selection:
    """The parties and questions a reader chose to compare, from the query string
    (`?partis=3&partis=7&questions=q_…`): a stable address to share. Nothing chosen: all."""

    def __init__(self, query=None):
        query = query if query is not None else {}
        getlist = getattr(query, "getlist", lambda name: [])
        self.party_ids = {int(v) for v in getlist("partis") if v.isdigit()}
        self.question_keys = {v for v in getlist("questions") if v.startswith("q_")}

    def among(self, party_ids, question_keys):
        """This choice among the parties and questions that exist: one that does not (a
        question since deleted, a mistyped link) chooses nothing, and the page shows what it
        shows without it. Every page reads its comparison through this."""
        effective = Selection()
        effective.party_ids = self.party_ids & set(party_ids)
        effective.question_keys = self.question_keys & set(question_keys)
        return effective

    @property
    def query(self):
        """The query string of this choice, in a stable order (after `among`: the canonical
        address of the comparison)."""
        return self.query_string(self.party_ids, self.question_keys)

    def wants_party(self, party):
        return not self.party_ids or party.pk in self.party_ids

    def wants_question(self, question):
        return not self.question_keys or question.clean_name in self.question_keys

    @property
    def is_narrowed(self):
        return bool(self.party_ids or self.question_keys)

    def query_string(self, party_ids, question_keys):
        """The address's query of this choice among the parties and questions that exist, in
        a stable order: the canonical address of a comparison."""
        pairs = [("partis", pk) for pk in sorted(self.party_ids & set(party_ids))]
        pairs += [("questions", key) for key in sorted(self.question_keys & set(question_keys))]
        return urlencode(pairs)


def published_table(questionnaire, questions, selection=None, reading=None):
    """Question by question, each invited party's public answer, under the wording it
    answered, with its public history. For the questionnaire block of a theme page and the
    campaign page; `selection` narrows it to the parties and questions a reader compares."""
    campaign = questionnaire.campaign
    reading = reading or Reading(campaign)
    all_parties = invited_parties(campaign)
    parties = [p for p in all_parties if selection is None or selection.wants_party(p)]
    # Questions chosen in another questionnaire of the page narrow nothing here.
    own = {q.clean_name for q in questions}
    narrowed = selection is not None and bool(selection.question_keys & own)
    chosen = [q for q in questions if not narrowed or selection.wants_question(q)]
    responses = {r.party_id: r for r in questionnaire.responses.filter(submitted_at__isnull=False)}
    # Nothing while the answers are not public (published_versions): no history to show.
    histories = published_histories(questionnaire, campaign)
    table = []
    for question in chosen:
        rows = []
        for party in parties:
            response = responses.get(party.pk)
            answer = reading.answer(question, response)
            history = histories.get(response.pk, []) if response else []
            rows.append(
                {
                    "party": party,
                    "answer": answer,
                    "earlier_wording": answer.question if answer.differs_from(question) else "",
                    **answer_history(question, history),
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


def published_versions(questionnaire, campaign):
    """{response pk: [ResponseVersion]} of the submissions the public has seen: the one
    current when the answers became public, and every later one, oldest first. One query."""
    since = campaign.public_since()
    if since is None:
        return {}
    versions = ResponseVersion.objects.filter(
        response__questionnaire=questionnaire, kind=ResponseVersion.SUBMITTED
    ).order_by("response_id", "number")
    by_response = {}
    fields = ("response_id", "number", "submission_number", "saved_at", "answers")
    for version in versions.only(*fields, "entered_by_name"):
        by_response.setdefault(version.response_id, []).append(version)
    seen = {}
    for response_pk, submitted in by_response.items():
        before = [v for v in submitted if v.saved_at < since]
        seen[response_pk] = before[-1:] + [v for v in submitted if v.saved_at >= since]
    return seen


def published_histories(questionnaire, campaign):
    """{response pk: [(date, {key: Answer}, entered by the team)]} of the submissions the
    public has seen."""
    return {
        response_pk: [(v.saved_at, answers_by_key(v.answers), v.entered_by_team) for v in versions]
        for response_pk, versions in published_versions(questionnaire, campaign).items()
    }


def answer_history(question, history):
    """Whether the public answer changed after it was published, when, and the earlier
    published texts with what changed, newest first; and whether the team entered the current
    text on the party's behalf (the public history says so, without naming anyone)."""
    published = []
    for saved_at, answers, by_team in history:
        answer = public_part(question, answers)
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
    for (since, older, _), (_, newer, _) in pairwise(published):
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
    readings = {q.pk: Reading(q.campaign) for q in questionnaires}
    public = [q for q in questionnaires if readings[q.pk].answers_readable]
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
        reading = readings[response.questionnaire_id]
        answers = reading.answers(response)
        for question in questions[response.questionnaire_id]:
            answer = reading.answer(question, answers=answers)
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
        answer = public_part(question, answers)
        cells += [answer.summary, answer.explanation]
    return cells


def iso_datetime(value):
    """Every time of the open data: ISO 8601 in the site's time zone, with its offset, to the
    second (« 2026-12-03T09:15:00-05:00 »), the same in every file."""
    return localtime(value).isoformat(timespec="seconds") if value else None


def iso_date(value):
    return value.isoformat() if value else None


def open_data_record(campaign):
    """The published answers of a campaign with the stable ids of everything in them: the one
    source of its JSON and of its CSV files, so that they agree row by row. A fixed number of
    queries per questionnaire."""
    reading = Reading(campaign)
    invitations = list(campaign.invitations.select_related("party"))
    questionnaires = list(campaign.questionnaires.prefetch_related("questions"))
    responses = {
        (r.questionnaire_id, r.party_id): r
        for r in Response.objects.filter(
            questionnaire__campaign=campaign, submitted_at__isnull=False
        )
    }
    record = []
    for questionnaire in questionnaires:
        questions = list(questionnaire.questions.all())
        versions = published_versions(questionnaire, campaign)
        parties = []
        for invitation in invitations:
            response = responses.get((questionnaire.pk, invitation.party_id))
            seen = versions.get(response.pk, []) if response else []
            history = [(v.saved_at, answers_by_key(v.answers), v.entered_by_team) for v in seen]
            answers = reading.answers(response)
            current = seen[-1] if seen else None
            parties.append(
                {
                    "party": invitation.party,
                    "response": response,
                    "status": reading.status(response),
                    "version": current,
                    "submitted_at": current.saved_at
                    if current
                    else (response.submitted_at if response else None),
                    "answers": [
                        (question, answer, answer_history(question, history))
                        for question in questions
                        for answer in [public_part(question, answers)]
                    ],
                    "versions": [(v, answers_by_key(v.answers)) for v in seen],
                }
            )
        record.append({"questionnaire": questionnaire, "questions": questions, "parties": parties})
    return record


def _ids(campaign, questionnaire, entry):
    """The ids that start every row of the open data."""
    party, response, version = entry["party"], entry["response"], entry["version"]
    return {
        "campagne_id": campaign.pk,
        "questionnaire_id": questionnaire.pk,
        "questionnaire": questionnaire.title,
        "parti_id": party.pk,
        "parti": party.name,
        "parti_sigle": party.short_name,
        "reponse_id": response.pk if response else None,
        "statut_reponse": entry["status"][0],
        "version_id": version.pk if version else None,
        "version_numero": version.submission_number if version else None,
        "soumise_le": iso_datetime(entry["submitted_at"]),
    }


def wide_rows(campaign, record):
    """One row per party and questionnaire, its current public answers: for each question
    (by its key) the status code, the text, the explanation and the announced date."""
    rows = []
    all_questions = [q for part in record for q in part["questions"]]
    for part in record:
        for entry in part["parties"]:
            row = _ids(campaign, part["questionnaire"], entry)
            given = {question.clean_name: answer for question, answer, _ in entry["answers"]}
            for question in all_questions:
                answer = given.get(question.clean_name)
                key = question.clean_name
                row[f"{key}__statut"] = answer.status if answer else None
                row[f"{key}__reponse"] = answer.text if answer else None
                row[f"{key}__explication"] = answer.explanation if answer else None
                row[f"{key}__prevue_le"] = iso_date(answer.pending_until) if answer else None
            rows.append(row)
    return rows


def long_rows(campaign, record):
    """One row per party, question and published version (« tidy » data), under the wording
    the party answered; a party that never submitted has one row per question, without a
    version."""
    rows = []
    for part in record:
        questionnaire = part["questionnaire"]
        for entry in part["parties"]:
            versions = entry["versions"] or [(None, {})]
            current = entry["version"]
            for version, answers in versions:
                ids = _ids(campaign, questionnaire, {**entry, "version": version})
                ids["soumise_le"] = iso_datetime(version.saved_at) if version else None
                ids["version_courante"] = version is not None and version.pk == current.pk
                for question in part["questions"]:
                    answer = public_part(question, answers)
                    rows.append(
                        {
                            **ids,
                            "question_id": question.clean_name,
                            "question_titre": question.label,
                            "question_texte": question.text,
                            "question_repondue": answer.question or question.text,
                            "question_reformulee_le": iso_datetime(question.reworded_at),
                            "statut": answer.status,
                            "reponse": answer.text,
                            "explication": answer.explanation,
                            "reponse_prevue_le": iso_date(answer.pending_until),
                        }
                    )
    return rows


def open_data_document(campaign, record=None):
    """The published answers of a campaign as JSON-ready data, with the ids and times of the
    CSV files."""
    record = open_data_record(campaign) if record is None else record
    document = {
        "campagne_id": campaign.pk,
        "campagne": campaign.name,
        "identifiant": campaign.slug,
        "date_limite": iso_datetime(campaign.closes_at),
        "publiee_le": iso_datetime(campaign.public_since()),
        "questionnaires": [],
    }
    for part in record:
        questionnaire = part["questionnaire"]
        parties = []
        for entry in part["parties"]:
            ids = _ids(campaign, questionnaire, entry)
            parties.append(
                {
                    "parti_id": ids["parti_id"],
                    "parti": ids["parti"],
                    "sigle": ids["parti_sigle"],
                    "reponse_id": ids["reponse_id"],
                    "statut": entry["status"][0],
                    "statut_libelle": entry["status"][1],
                    "version_id": ids["version_id"],
                    "version_numero": ids["version_numero"],
                    "soumise_le": ids["soumise_le"],
                    "reponses": [
                        _answer_with_history(answer, changes)
                        for _, answer, changes in entry["answers"]
                    ],
                    "versions_publiees": [
                        {
                            "version_id": version.pk,
                            "version_numero": version.submission_number,
                            "soumise_le": iso_datetime(version.saved_at),
                        }
                        for version, _ in entry["versions"]
                    ],
                }
            )
        document["questionnaires"].append(
            {
                "questionnaire_id": questionnaire.pk,
                "titre": questionnaire.title,
                "questions": [
                    {
                        "question_id": q.clean_name,
                        "cle": q.clean_name,
                        "titre": q.label,
                        "texte": q.text,
                        "reformulee_le": iso_datetime(q.reworded_at),
                    }
                    for q in part["questions"]
                ],
                "reponses": parties,
            }
        )
    return document


def _answer_with_history(answer, changes):
    """An answer of the open data, with every earlier published version and its date."""
    document = _answer_document(answer)
    document["modifiee_le"] = iso_datetime(changes["modified_at"])
    document["versions_publiees_precedentes"] = [
        {
            "publiee_le": iso_datetime(earlier["published_at"]),
            **_answer_document(earlier["answer"]),
        }
        for earlier in changes["earlier"]
    ]
    return document


def _answer_document(answer):
    return {
        "question_id": answer.key,
        "cle": answer.key,
        "question_repondue": answer.question,
        "statut": answer.status,
        "statut_libelle": answer.status_label,
        "reponse": answer.text,
        "explication": answer.explanation,
        "reponse_prevue_le": iso_date(answer.pending_until),
    }


PUBLISHED, ANSWERED_LATER, CORRECTED = "published", "answered", "corrected"


def public_changes(campaign):
    """What the public saw change in a campaign's answers, oldest first: the publication of
    the answers, then each later submission that changed what the public reads (a correction,
    with the questions it changed, or a first answer given after the publication). Read from
    the submissions the public has seen (`published_histories`): never a draft, nothing
    before the answers are public. Each item: kind, at, party, questionnaire, questions (the
    titles of the changed questions). A fixed number of queries per questionnaire."""
    since = campaign.public_since()
    if since is None:
        return []
    changes = [
        {"kind": PUBLISHED, "at": since, "party": None, "questionnaire": None, "questions": []}
    ]
    parties = {i.party_id: i.party for i in campaign.invitations.select_related("party")}
    responses = dict(
        Response.objects.filter(
            questionnaire__campaign=campaign, submitted_at__isnull=False
        ).values_list("pk", "party_id")
    )
    for questionnaire in campaign.questionnaires.prefetch_related("questions"):
        questions = list(questionnaire.questions.all())
        for response_pk, history in published_histories(questionnaire, campaign).items():
            party = parties.get(responses.get(response_pk))
            if party is None:
                continue
            seen = None
            for saved_at, answers, _by_team in history:
                public = [_public_content(public_part(q, answers)) for q in questions]
                if seen is None:
                    changed = questions if saved_at >= since else []
                    kind = ANSWERED_LATER
                else:
                    changed = [
                        q
                        for q, old, new in zip(questions, seen, public, strict=True)
                        if old != new
                    ]
                    kind = CORRECTED
                if changed:
                    changes.append(
                        {
                            "kind": kind,
                            "at": saved_at,
                            "party": party,
                            "questionnaire": questionnaire,
                            "questions": [q.label for q in changed],
                        }
                    )
                seen = public
    changes.sort(key=lambda change: change["at"])
    return changes
