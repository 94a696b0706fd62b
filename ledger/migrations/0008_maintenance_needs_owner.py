from django.db import migrations

from ledger.migration_operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_lighter_entry_indexes")]

    operations = [RunSQLFile("0008_maintenance_needs_owner")]
