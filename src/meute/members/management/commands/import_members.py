from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meute.accounts.models import User
from meute.core.exceptions import MeuteError
from meute.members.importing import import_members
from meute.members.models import Network


class Command(BaseCommand):
    help = (
        "Import members from a CSV or XLSX file into a network, with exactly the import page's rules for the "
        "given staff member: all or nothing, a per-row report. Exit code 0 when every row was applied or "
        "turned into an invitation, 2 when any row is rejected (then nothing is written)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--network", required=True, help="short name (slug) of the network the members join")
        parser.add_argument("--as", dest="as_email", required=True, metavar="STAFF_EMAIL",
                            help="e-mail of the staff member (or administrator) the import acts as")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, file: str, network: str, as_email: str, dry_run: bool, **options):
        target = Network.objects.filter(slug=network).first()
        if target is None:
            raise CommandError(f"Unknown network {network!r}.", returncode=2)
        actor = User.objects.filter(email__iexact=as_email.strip(), is_active=True).first()
        if actor is None:
            raise CommandError(f"No active account has the e-mail {as_email!r}.", returncode=2)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}", returncode=2)
        try:
            with path.open("rb") as handle:
                report = import_members(handle, path.name, network=target, acting_user=actor, dry_run=dry_run)
        except MeuteError as exc:
            raise CommandError(exc.message, returncode=2) from None
        for note in report.notes:
            self.stdout.write(f"line {note.line} ({note.email}): {note.action}: {note.message}")
        for error in report.errors:
            self.stderr.write(f"line {error.line}, column {error.column}: {error.message}")
        summary = (f"{report.rows} rows: {report.created} created, {report.updated} updated, "
                   f"{report.invited} invited, {report.unchanged} unchanged, {report.rejected} rejected.")
        if report.errors:
            raise CommandError(f"{summary} Nothing imported.", returncode=2)
        if dry_run:
            self.stdout.write(f"{summary} Dry run: nothing written.")
        else:
            self.stdout.write(self.style.SUCCESS(summary))
