"""``meute advisor-vectors``: (re)compute the text vectors of offers and needs and their index."""

from django.core.management.base import BaseCommand

from meute.advisor import textmatch
from meute.advisor.vectors import BUCKETS, rebuild_index, refresh_vectors
from meute.commands.arguments import bounded_int


class Command(BaseCommand):
    help = "Encode leaders' offers and needs (changed ones only unless --force) and rebuild the buckets."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="re-encode every leader")
        parser.add_argument("--buckets", type=bounded_int(1, 10_000), default=BUCKETS)

    def handle(self, *args, force: bool, buckets: int, **options):
        model = textmatch.model_name()
        count = refresh_vectors(force=force)
        built = rebuild_index(buckets=buckets)
        self.stdout.write(f"{count} leaders encoded with {model}; index of {built} buckets.")
