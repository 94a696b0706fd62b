"""The two roles: editors add and change what the ledger holds but delete nothing (and
never change an entry); viewers only read. A later model gets its permissions added to
these groups by the migration that creates it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "organization",
    "organizationalias",
    "commitment",
    "commitmentidentifier",
    "ledgerentry",
    "pause",
    "coordinationbody",
    "bodymembership",
    "responsibility",
    "mandate",
    "source",
    "fxrate",
    "event",
    "reportedtotal",
]
# Entries are append-only: an editor adds them (and reverses them by adding more).
EDITOR_ACTIONS = {model: ["add", "change", "view"] for model in MODELS} | {
    "ledgerentry": ["add", "view"]
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(codenames):
        found = list(
            Permission.objects.filter(content_type__app_label="ledger", codename__in=codenames)
        )
        assert len(found) == len(codenames), sorted(set(codenames) - {p.codename for p in found})
        return found

    editor, _ = Group.objects.get_or_create(name="editor")
    editor.permissions.set(
        permissions(
            [f"{action}_{model}" for model, actions in EDITOR_ACTIONS.items() for action in actions]
        )
    )
    viewer, _ = Group.objects.get_or_create(name="viewer")
    viewer.permissions.set(permissions([f"view_{model}" for model in MODELS]))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editor", "viewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_history_precision_reports_events"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
