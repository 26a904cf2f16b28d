import json

from django.core.management.base import BaseCommand, CommandError

from rubrics import engine
from rubrics.files import FileReadError, read_structured


class Command(BaseCommand):
    help = (
        "用评分标准文件给一份输入打分，输出 JSON 结果（逐项得分与说明、小计、加分、扣分、"
        "总分、一票否决、等次、补助比例）。不读写数据库。"
    )

    def add_arguments(self, parser):
        parser.add_argument("rubric_file")
        parser.add_argument("inputs_file")

    def handle(self, *args, rubric_file, inputs_file, **options):
        try:
            rubric = engine.rubric_from_dict(read_structured(rubric_file))
            inputs = read_structured(inputs_file)
        except FileReadError as exc:
            raise CommandError(str(exc)) from None
        except engine.RubricFormatError as exc:
            raise CommandError("评分标准文件有误：\n  " + "\n  ".join(exc.errors)) from None
        try:
            result = engine.evaluate(rubric, inputs)
        except engine.SheetInputError as exc:
            raise CommandError("输入有误：\n  " + "\n  ".join(str(e) for e in exc.errors)) from None
        out = result.to_dict()
        out["warnings"] = [f.message for f in engine.validate(rubric)]
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
