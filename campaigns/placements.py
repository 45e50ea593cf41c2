"""Where editors placed each questionnaire: asked of Wagtail's reference index, which records
every snippet chosen in a page's blocks. Campaigns never need to know which page types exist."""

from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page, ReferenceIndex


def live_pages_showing(questionnaires):
    """{questionnaire pk: [live public pages that show it]}, in two queries."""
    questionnaires = list(questionnaires)
    if not questionnaires:
        return {}
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.get_references_to_in_bulk(questionnaires).filter(
        base_content_type=page_type
    )
    page_ids = {}
    for reference in references.values("object_id", "to_object_id"):
        page_ids.setdefault(int(reference["to_object_id"]), set()).add(int(reference["object_id"]))
    all_ids = set().union(*page_ids.values()) if page_ids else set()
    pages = list(Page.objects.live().public().filter(pk__in=all_ids).order_by("path"))
    return {
        questionnaire.pk: [page for page in pages if page.pk in page_ids.get(questionnaire.pk, ())]
        for questionnaire in questionnaires
    }
