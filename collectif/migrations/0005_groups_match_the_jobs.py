from django.db import migrations


def sync(apps, schema_editor):
    """Rédaction, Révision, Campagnes and Administration get what their jobs need (see
    collectif/team/groups.py and docs/groupes.md)."""
    from django.contrib.auth.management import create_permissions

    from collectif.team.groups import sync_groups

    # The permissions of models created in this same migrate run exist only after it ends.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("collectif", "0004_editorial_workflow"),
        ("campaigns", "0003_campaign_answers_indexed"),
        ("boussole", "0003_boussoleindexpage_social_image_and_more"),
        ("home", "0002_homepage_social_image_standardpage_social_image"),
        ("newsletter", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
