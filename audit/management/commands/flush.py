"""Django's ``flush``, which empties every table, allowed to empty the security log too.

The log's triggers refuse DELETE and TRUNCATE; emptying the whole database (re-creating a
demo, resetting the test database between tests) is the one other case they let through.
"""

from django.core.management.commands.flush import Command as FlushCommand

from audit.guard import FLUSH, deletion_permitted


class Command(FlushCommand):
    help = FlushCommand.help + " The security log is emptied with the rest."

    def handle(self, **options):
        with deletion_permitted(FLUSH, using=options["database"]):
            return super().handle(**options)
