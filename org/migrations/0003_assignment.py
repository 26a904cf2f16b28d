# The user↔unit assignment becomes a model of org: the rows behind User.units, until now
# Django's automatic many-to-many table accounts_user_units. State only: the model takes
# over that table as it is (its key, and the unique index under the name Django gave it), and
# accounts 0004 makes it the field's through model. The table gets org's name in 0004.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_rename_tables'),
        ('accounts', '0003_user_role_village_head_city_office'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Assignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='user_assignments', to='org.unit', verbose_name='单位')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unit_assignments', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
                    ],
                    options={
                        'verbose_name': '负责单位',
                        'verbose_name_plural': '负责单位',
                        'db_table': 'accounts_user_units',
                        'constraints': [models.UniqueConstraint(fields=('user', 'unit'), name='accounts_user_units_user_id_unit_id_988c2977_uniq')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
