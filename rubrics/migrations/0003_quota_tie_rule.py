from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rubrics", "0002_kind_choices_from_registry")]

    operations = [
        migrations.AddField(
            model_name="rubric",
            name="quota_tie_break",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text=(
                    "依次比较，高者在前：section:<部分代码>（该部分得分）或 base_total（基础分）。"
                    "仍同分的由管理员逐一决定，不按名称排序。"
                ),
                verbose_name="名额边界同分时的排序",
            ),
        ),
    ]
