"""``meute alumni-advice --network SLUG``: send the advisor's proposals to a cycle's alumni."""

from django.core.management.base import BaseCommand, CommandError

from meute.advisor.cafe import do_send_alumni_proposals
from meute.members.models import Network


class Command(BaseCommand):
    help = "Send each alumnus of a peer-group network the networks that fit them next (once per network)."

    def add_arguments(self, parser):
        parser.add_argument("--network", required=True)

    def handle(self, *args, network: str, **options):
        target = Network.objects.filter(slug=network).first()
        if target is None:
            raise CommandError(f"network: unknown network {network!r}.", returncode=2)
        sent = do_send_alumni_proposals(target, acting_user=None)
        self.stdout.write(f"{len(sent)} alumni advised.")
