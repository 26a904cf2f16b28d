"""Both event models link to their request through a field named ``request``."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("staff", "0004_units_move_to_org")]

    operations = [
        migrations.RenameField(model_name="departureevent", old_name="report", new_name="request"),
    ]
