# Units moved to the org app: the user's units point there. State only; the table
# accounts_user_units and its rows stay as they are.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='user',
                    name='units',
                    field=models.ManyToManyField(blank=True, help_text='考核人员：所负责的镇（街道）；协理员：所在社区或村；只读查看：可见范围，留空为全局。', related_name='users', to='org.unit', verbose_name='负责单位'),
                ),
            ],
            database_operations=[],
        ),
    ]
