from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_submissions(apps, schema_editor):
    """Each response's number of submitted versions, as campaigns/submissions.py keeps it
    from now on."""
    Response = apps.get_model("campaigns", "Response")
    ResponseVersion = apps.get_model("campaigns", "ResponseVersion")
    submitted = (
        ResponseVersion.objects.filter(response=OuterRef("pk"), kind="submitted")
        .values("response")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Response.objects.update(submission_count=Coalesce(Subquery(submitted), 0))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0009_responses_out_of_the_reference_index")]

    operations = [
        migrations.AddField(
            model_name="response",
            name="submission_count",
            field=models.PositiveIntegerField(
                db_default=0, default=0, verbose_name="soumissions"
            ),
        ),
        migrations.RunPython(count_submissions, migrations.RunPython.noop),
    ]
