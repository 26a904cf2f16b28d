# User.units now goes through org.Assignment (accounts 0004): give its table org's name.
# Rows, keys and index names stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_assignment'),
        ('accounts', '0004_units_through_assignment'),
    ]

    operations = [
        migrations.AlterModelTable(name='assignment', table=None),
    ]
