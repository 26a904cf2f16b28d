"""One ItemScore row per side, and sheet totals per side (SideTotal), next to the old
self_*/review_* columns; 0004 copies the values, 0005 drops the old columns. Three steps,
because PostgreSQL cannot alter a table in the transaction that has just inserted rows into it
with deferred foreign-key checks."""

import django.db.models.deletion
from django.db import migrations, models

import assessments.models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_units_move_to_org"),
    ]

    operations = [
        migrations.CreateModel(
            name="SideTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        choices=assessments.models.side_choices,
                        max_length=10,
                        verbose_name="评分方",
                    ),
                ),
                (
                    "total",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="totals",
                        to="assessments.assessment",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("assessment", "side"), name="one_total_per_side"
                    )
                ],
            },
        ),
        migrations.RemoveConstraint(model_name="itemscore", name="one_score_per_item"),
        migrations.AddField(
            model_name="itemscore",
            name="side",
            field=models.CharField(
                choices=assessments.models.side_choices,
                default="self",
                max_length=10,
                verbose_name="评分方",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="itemscore",
            name="input",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="itemscore",
            name="score",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True),
        ),
        migrations.AddField(
            model_name="itemscore",
            name="explanation",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="itemscore",
            name="note",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
        migrations.AddConstraint(
            model_name="itemscore",
            constraint=models.UniqueConstraint(
                fields=("assessment", "item", "side"), name="one_score_per_item_and_side"
            ),
        ),
    ]
