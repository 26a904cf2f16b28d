# Every foreign key to units now points at org.Unit (targets 0003, accounts 0002,
# assessments 0002, staff 0004): give the tables org's names. Rows and keys stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('targets', '0003_units_move_to_org'),
        ('accounts', '0002_units_move_to_org'),
        ('assessments', '0002_units_move_to_org'),
        ('staff', '0004_units_move_to_org'),
    ]

    operations = [
        migrations.AlterModelTable(name='unit', table=None),
        migrations.AlterModelTable(name='unitalias', table=None),
    ]
