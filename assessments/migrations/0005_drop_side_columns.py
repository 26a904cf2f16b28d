"""Drop the self_*/review_* columns of ItemScore and the totals of Assessment, now that
0004 copied them into side rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_copy_sides"),
    ]

    operations = [
        migrations.RemoveField(model_name="itemscore", name=name)
        for name in (
            "self_input",
            "review_input",
            "self_score",
            "review_score",
            "self_explanation",
            "review_explanation",
            "self_note",
            "review_note",
        )
    ] + [
        migrations.RemoveField(model_name="assessment", name="self_total"),
        migrations.RemoveField(model_name="assessment", name="review_total"),
    ]
