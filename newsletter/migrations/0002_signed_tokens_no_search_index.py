import secrets

from django.db import migrations, models

import newsletter.models


def give_each_a_key(apps, schema_editor):
    # A new key for every row: the old tokens were stored usable, so every old link stops
    # working (the subscriber stays as they were).
    Subscriber = apps.get_model("newsletter", "Subscriber")
    for subscriber in Subscriber.objects.only("pk"):
        Subscriber.objects.filter(pk=subscriber.pk).update(key=secrets.token_urlsafe(16))


def drop_index_entries(apps, schema_editor):
    # Subscribers were copied into Wagtail's search index: remove the copies.
    ContentType = apps.get_model("contenttypes", "ContentType")
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    content_type = ContentType.objects.filter(app_label="newsletter", model="subscriber").first()
    if content_type is not None:
        IndexEntry.objects.filter(content_type=content_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscriber",
            name="key",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(give_each_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subscriber",
            name="key",
            field=models.CharField(
                default=newsletter.models.new_key, editable=False, max_length=32, unique=True
            ),
        ),
        migrations.RemoveField(model_name="subscriber", name="token"),
        migrations.RunPython(drop_index_entries, migrations.RunPython.noop),
    ]
