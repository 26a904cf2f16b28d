# Units moved to the org app: point the foreign keys there. State only; columns unchanged.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0001_initial'),
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='assessment',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='org.unit', verbose_name='单位'),
                ),
                migrations.AlterField(
                    model_name='result',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit'),
                ),
            ],
            database_operations=[],
        ),
    ]
