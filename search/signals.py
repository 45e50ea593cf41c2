"""The cached search results follow the search index: renewed once the worker has indexed a
page or a campaign again (a search made meanwhile still finds the previous text, and its
results are not kept beyond that). The worker also prepares the text of a page's excerpts,
so that the first search that finds it need not read the page."""

from django.apps import apps
from django.dispatch import receiver

from wagtail.models import Page

from django_tasks_db.compat import task_finished
from modelsearch.tasks import insert_or_update_object_task

from campaigns.indexing import campaign_indexed

from .views import prepare_text, renew_results


@receiver(task_finished)
def index_task_finished(sender, task_result, **kwargs):
    task = task_result.task
    if task is None or task.module_path != insert_or_update_object_task.module_path:
        return
    app_label, model_name, pk = task_result.args
    model = apps.get_model(app_label, model_name)
    if issubclass(model, Page):
        page = model.objects.filter(pk=pk).first()
        if page is not None:
            prepare_text(page)
    renew_results(f"index de recherche, {app_label}.{model_name} {pk}")


@receiver(campaign_indexed)
def campaign_reindexed(sender, campaign_id, **kwargs):
    renew_results(f"index de recherche, campagne {campaign_id}")
