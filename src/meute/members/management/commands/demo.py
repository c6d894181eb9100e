from django.core.management import call_command
from django.core.management.base import BaseCommand

from meute.commands.arguments import SEED, bounded_int
from meute.members.demo import LOGINS, PASSWORD, load_demo
from meute.members.models import Network


class Command(BaseCommand):
    help = "Migrate the database and load the demo network (once); print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=SEED, default=2026)
        parser.add_argument("--members", type=bounded_int(1, 100_000), default=150)

    def handle(self, *args, seed: int, members: int, **options):
        call_command("migrate", verbosity=0, interactive=False)
        if Network.objects.filter(slug="offensiv-pme").exists():
            self.stdout.write("The demo network is already loaded.")
        else:
            load_demo(seed=seed, members=members)
            from meute.events.demo import load_demo_events
            from meute.peergroups.demo import load_demo_programme

            load_demo_events(seed=seed)
            load_demo_programme(seed=seed)
            from meute.purchases.demo import load_demo_purchases

            load_demo_purchases(seed=seed)
            from meute.questions.demo import load_demo_questions

            load_demo_questions(seed=seed)
            from meute.documents.demo import load_demo_documents

            load_demo_documents()
            from meute.referrals.demo import load_demo_referrals

            load_demo_referrals(seed=seed)
            # "People to meet" reads the stored text vectors of offers and needs: encode them now.
            call_command("advisor_vectors", stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS("Demo network loaded."))
        self.stdout.write(f"\nDemo logins (password for all: {PASSWORD})")
        for key, role, _first, _last in LOGINS:
            self.stdout.write(f"  {role:<45} {key}@demo.meute.example")
