from django.core.management.base import BaseCommand

from meute.notifications.digests import send_digests


class Command(BaseCommand):
    help = "Make and send this week's notification digests (each person's once per week; safe to run twice)."

    def handle(self, *args, **options):
        made = send_digests()
        self.stdout.write(f"{made} digest(s) queued.")
