"""``meute close-campaigns``: apply the deadline of every pooled purchase that is due (run hourly)."""

from django.core.management.base import BaseCommand

from meute.purchases.services import close_campaign, due_campaign_ids


class Command(BaseCommand):
    help = "Close the pooled purchases whose deadline has passed: order, extend or cancel each."

    def handle(self, *args, **options) -> None:
        for pk in due_campaign_ids():
            decision = close_campaign(pk)
            if decision:
                self.stdout.write(f"campaign {pk}: {decision}")
