from django.db import migrations

ROOT_PAGE = ("Root", "Racine")
ROOT_COLLECTION = ("Root", "Générale")


def rename(apps, names_page, names_collection):
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title=names_page[0]).update(
        title=names_page[1], draft_title=names_page[1]
    )
    apps.get_model("wagtailcore", "Collection").objects.filter(
        depth=1, name=names_collection[0]
    ).update(name=names_collection[1])


def to_french(apps, schema_editor):
    """The tree's root and the root collection, which the admin shows by name
    (« Exploration : Root », the collection lists), named in French."""
    rename(apps, ROOT_PAGE, ROOT_COLLECTION)


def to_english(apps, schema_editor):
    rename(apps, ROOT_PAGE[::-1], ROOT_COLLECTION[::-1])


class Migration(migrations.Migration):
    dependencies = [("collectif", "0005_groups_match_the_jobs")]

    operations = [migrations.RunPython(to_french, to_english)]
