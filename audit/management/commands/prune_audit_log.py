from django.core.management.base import BaseCommand, CommandError

from audit.retention import RetentionTooShort, prune, retention_days


class Command(BaseCommand):
    help = "删除早于保存期限的安全审计记录（至少保存 180 天），并记下一条清理记录。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            help="删除多少天以前的记录；默认取 AUDIT_RETENTION_DAYS（180），不得少于 180。",
        )

    def handle(self, *args, **options):
        days = options["older_than_days"]
        if days is None:
            days = retention_days()
        try:
            count = prune(older_than_days=days)
        except RetentionTooShort as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已删除 {days} 天以前的安全审计记录 {count} 条。")
