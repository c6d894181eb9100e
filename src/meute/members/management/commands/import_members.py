from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meute.members.exceptions import ImportRejected
from meute.members.importing import import_members
from meute.members.models import Network


class Command(BaseCommand):
    help = "Import members and companies from a CSV or XLSX file; all or nothing, with a per-row report."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--network", help="short name (slug) of the network the members join")

    def handle(self, *args, file: str, network: str | None, **options):
        target = None
        if network:
            target = Network.objects.filter(slug=network).first()
            if target is None:
                raise CommandError(f"Unknown network {network!r}.", returncode=2)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}", returncode=2)
        try:
            with path.open("rb") as handle:
                report = import_members(handle, path.name, network=target, acting_user=None)
        except ImportRejected as exc:
            raise CommandError(exc.message, returncode=2) from None
        if report.errors:
            for error in report.errors:
                self.stderr.write(f"line {error.line}, column {error.column}: {error.message}")
            raise CommandError(f"Nothing imported: {len(report.errors)} problem(s).", returncode=2)
        self.stdout.write(self.style.SUCCESS(
            f"{report.rows} rows: {report.created} created, {report.updated} updated."
        ))
