from django.db import migrations

GROUP_NAMES = {"Editors": "Rédaction", "Moderators": "Révision"}
WORKFLOW_NAME = "Révision avant publication"
TASK_NAME = "Révision par l’équipe"


def make_it_ours(apps, schema_editor):
    """Wagtail's default groups and moderation workflow, in French: the Rédaction group
    writes and submits, the Révision group publishes after review."""
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")

    for old, new in GROUP_NAMES.items():
        Group.objects.filter(name=old).update(name=new)
    reviewers, _ = Group.objects.get_or_create(name="Révision")

    task = GroupApprovalTask.objects.filter(groups=reviewers, active=True).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=content_type, active=True
        )
        task.groups.set([reviewers])
    else:
        GroupApprovalTask.objects.filter(pk=task.pk).update(name=TASK_NAME)

    workflow = Workflow.objects.filter(workflow_tasks__task=task).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    else:
        Workflow.objects.filter(pk=workflow.pk).update(name=WORKFLOW_NAME, active=True)

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def undo(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for old, new in GROUP_NAMES.items():
        Group.objects.filter(name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [
        ("collectif", "0003_sitesettings_facebook_url_sitesettings_instagram_url_and_more"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(make_it_ours, undo)]
