# User.units goes through org.Assignment, which org 0003 laid over this field's own table
# accounts_user_units. State only: the table and its rows stay as they are.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_user_role_village_head_city_office'),
        ('org', '0003_assignment'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='user',
                    name='units',
                    field=models.ManyToManyField(blank=True, help_text='考核人员：所负责的镇（街道）；协理员：所在社区或村；只读查看：可见范围，留空为全局。', related_name='users', through='org.Assignment', to='org.unit', verbose_name='负责单位'),
                ),
            ],
            database_operations=[],
        ),
    ]
