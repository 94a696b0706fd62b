from django.db import migrations

from ledger.migration_operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_database_rules")]

    operations = [RunSQLFile("0003_refuse_emptying")]
