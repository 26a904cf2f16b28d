from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_units_move_to_org")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "人社局管理员"),
                    ("reviewer", "镇（街道）考核人员"),
                    ("coordinator", "社区（村）协理员"),
                    ("viewer", "只读查看"),
                    ("village_head", "村（社区）负责人"),
                    ("city_office", "市就业处"),
                ],
                default="viewer",
                max_length=20,
                verbose_name="角色",
            ),
        ),
    ]
