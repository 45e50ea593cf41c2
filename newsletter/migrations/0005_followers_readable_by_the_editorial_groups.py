from django.db import migrations


def sync(apps, schema_editor):
    """Rédaction and Révision read the campaigns' followers, as they read the subscribers
    (collectif/team/groups.py)."""
    from django.contrib.auth.management import create_permissions

    from collectif.team.groups import sync_groups

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0004_campaign_followers"),
        ("collectif", "0005_groups_match_the_jobs"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
