from django.db import migrations

from ledger.migration_operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [("ledger", "0008_maintenance_needs_owner")]

    operations = [RunSQLFile("0009_unicode_name_rules")]
