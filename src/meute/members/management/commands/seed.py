from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from meute.commands.arguments import SEED, bounded_int
from meute.members.bulkseed import bulk_seed


class Command(BaseCommand):
    help = "Add many generated leaders, companies and memberships (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=bounded_int(1, 1_000_000), required=True)
        parser.add_argument("--seed", type=SEED, default=1)
        parser.add_argument("--region", default="75", help="INSEE region code (default 75, Nouvelle-Aquitaine)")

    def handle(self, *args, members: int, seed: int, region: str, **options):
        if members <= 0:
            raise CommandError("--members must be a positive number.", returncode=2)
        with tqdm(total=members, unit="members", disable=options["verbosity"] == 0) as bar:
            try:
                bulk_seed(members, seed=seed, region=region, progress=bar.update)
            except ValueError as exc:
                raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(self.style.SUCCESS(f"{members} members added."))
