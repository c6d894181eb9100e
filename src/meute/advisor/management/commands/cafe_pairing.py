"""``meute cafe-pairing --month 2026-05``: pair this month's café subscribers."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meute.advisor.cafe import check_pair_cafe
from meute.advisor.exceptions import AdvisorError
from meute.commands.arguments import SEED


class Command(BaseCommand):
    help = "Pair the members who opted in to the monthly café, among people who never met."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: this month)")
        parser.add_argument("--seed", type=SEED, default=0)

    def handle(self, *args, month: str | None, seed: int, **options):
        try:
            day = datetime.date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
        except ValueError:
            raise CommandError("month: expected YYYY-MM.", returncode=2) from None
        try:
            pairings = check_pair_cafe(day, acting_user=None, seed=seed)
        except AdvisorError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"{len(pairings)} tables for {day:%Y-%m}.")
