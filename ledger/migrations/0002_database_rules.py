from django.db import migrations

from ledger.migration_operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [RunSQLFile("0002_database_rules")]
