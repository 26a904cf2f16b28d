# Units moved to the org app: point the foreign keys there. State only; columns unchanged.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('staff', '0003_approver_groups'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='coordinator',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='coordinators', to='org.unit', verbose_name='工作单位'),
                ),
                migrations.AlterField(
                    model_name='windowstaffing',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='window_staffing', to='org.unit', verbose_name='镇（街道）'),
                ),
            ],
            database_operations=[],
        ),
    ]
