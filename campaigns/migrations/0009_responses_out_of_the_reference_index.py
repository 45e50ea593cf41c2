from django.db import migrations


def forget_responses(apps, schema_editor):
    """Responses and their versions leave Wagtail's reference index: the rows an earlier
    version of the site wrote for them are removed."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    types = ContentType.objects.filter(
        app_label="campaigns", model__in=["response", "responseversion"]
    )
    ReferenceIndex.objects.filter(content_type__in=types).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0008_version_entered_by"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget_responses, migrations.RunPython.noop)]
