# Units and aliases now belong to the org app (org 0001 took them over, tables and rows
# included): point this app's foreign keys there and drop the models from this app's state.
# Nothing changes in the database here.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('targets', '0002_indicators_allocations_actuals'),
        # Every other foreign key to targets.Unit must be re-pointed before the model goes.
        ('accounts', '0002_units_move_to_org'),
        ('assessments', '0002_units_move_to_org'),
        ('staff', '0004_units_move_to_org'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='targetallocation',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='allocations', to='org.unit', verbose_name='单位'),
                ),
                migrations.AlterField(
                    model_name='achievement',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='achievements', to='org.unit', verbose_name='单位'),
                ),
                migrations.AlterField(
                    model_name='importchange',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit'),
                ),
                migrations.DeleteModel(name='UnitAlias'),
                migrations.DeleteModel(name='Unit'),
            ],
            database_operations=[],
        ),
    ]
