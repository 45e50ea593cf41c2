"""Where editors placed each questionnaire: in the body of a theme page, with a block."""


def questionnaire_ids_in(stream):
    return [
        block["value"].get("questionnaire")
        for block in stream.raw_data
        if block.get("type") == "questionnaire" and block.get("value")
    ]


def questionnaire_pages(questionnaires):
    """{questionnaire pk: the live theme page that shows it}, in one query."""
    from boussole.models import ThemePage

    wanted = {q.pk for q in questionnaires}
    found = {}
    for page in ThemePage.objects.live().public().only("id", "url_path", "path", "body"):
        for pk in questionnaire_ids_in(page.body):
            if pk in wanted:
                found.setdefault(pk, page)
    return found
