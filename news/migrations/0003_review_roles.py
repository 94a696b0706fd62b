"""The review queue's roles (see ledger migration 0005): editors read articles and review
candidates (change, which the decisions need); viewers read both. Nobody deletes either:
a decided candidate is the record of who decided what."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = ["view_article", "view_candidate", "change_candidate"]
VIEWER = ["view_article", "view_candidate"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    app_config = apps.get_app_config("news")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("editor", EDITOR), ("viewer", VIEWER)):
        group, _ = Group.objects.get_or_create(name=name)
        found = Permission.objects.filter(content_type__app_label="news", codename__in=codenames)
        assert found.count() == len(codenames), codenames
        group.permissions.add(*found)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    news = Permission.objects.filter(content_type__app_label="news")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["editor", "viewer"]):
        group.permissions.remove(*news)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_decisions"),
        ("ledger", "0005_editor_and_viewer_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
