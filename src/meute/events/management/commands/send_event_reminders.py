import datetime

from django.core.management.base import BaseCommand

from meute.commands.arguments import bounded_int
from meute.events.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail a reminder to the participants of events starting within the next hours (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=bounded_int(1, 24 * 366), default=48)

    def handle(self, *args, hours: int, **options):
        sent = send_reminders(within=datetime.timedelta(hours=hours))
        self.stdout.write(f"{sent} reminder(s) sent.")
