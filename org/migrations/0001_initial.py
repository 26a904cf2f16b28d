# Units and their aliases move here from the targets app. On a database that already has
# them, the rows stay where they are: this migration only takes the models into org's state
# (over the existing tables targets_unit and targets_unitalias) and carries their content
# types along, so admin permissions and log entries keep pointing at them. The tables get
# org's names in 0002, once every foreign key in the project points here.

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("unit", "unitalias")


def content_types_to_org(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label="org", model__in=MOVED).exists():
        return
    ContentType.objects.using(db).filter(app_label="targets", model__in=MOVED).update(
        app_label="org"
    )


def content_types_to_targets(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="org", model__in=MOVED).update(
        app_label="targets"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('targets', '0002_indicators_allocations_actuals'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Unit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('normalized_name', models.CharField(db_index=True, editable=False, max_length=100)),
                        ('kind', models.CharField(choices=[('bureau', '人社局（县/区/市）'), ('town', '镇'), ('township', '乡'), ('street', '街道'), ('zone', '开发区/园区'), ('district_level', '区本级'), ('community', '社区'), ('village', '村')], max_length=20, verbose_name='类别')),
                        ('active', models.BooleanField(default=True, verbose_name='在用')),
                        ('sort_order', models.PositiveIntegerField(default=0, verbose_name='排序')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='org.unit', verbose_name='上级单位')),
                    ],
                    options={
                        'verbose_name': '单位',
                        'verbose_name_plural': '单位',
                        'ordering': ['sort_order', 'id'],
                        'db_table': 'targets_unit',
                        'constraints': [models.UniqueConstraint(fields=('parent', 'normalized_name'), name='unit_unique_name_under_parent')],
                    },
                ),
                migrations.CreateModel(
                    name='UnitAlias',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='别名')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aliases', to='org.unit')),
                    ],
                    options={
                        'verbose_name': '单位别名',
                        'verbose_name_plural': '单位别名',
                        'db_table': 'targets_unitalias',
                        'constraints': [models.UniqueConstraint(fields=('unit', 'name'), name='alias_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_org, content_types_to_targets),
    ]
