"""What the site search knows of questionnaires, beside the public answers
(`campaigns.records.public_search_text`): read by the theme pages that show them and by the
campaign page. Works on the objects it is given, through their relations."""

from .reading import Reading


def questionnaires_search_text(questionnaires):
    """The campaign names, questionnaire titles and question texts (public from the start),
    and the invited parties' names once the campaign's answers are public."""
    lines = []
    for questionnaire in questionnaires:
        campaign = questionnaire.campaign
        lines += [campaign.name, questionnaire.title]
        lines += [question.text for question in questionnaire.questions.all()]
        if Reading(campaign).answers_readable:
            lines += [i.party.name for i in campaign.invitations.select_related("party")]
    return "\n".join(dict.fromkeys(lines))
