from django.core.management.base import BaseCommand

from meute.engagement.services import do_check_engagement


class Command(BaseCommand):
    help = "Signal members at risk (two meetings missed in a row, a light turned red), once each (run daily)."

    def handle(self, *args, **options):
        report = do_check_engagement()
        self.stdout.write(f"{report.networks} network(s) checked, {report.signalled} member(s) at risk signalled, "
                          f"{report.resolved} back out of red.")
