"""``meute referral-reminders``: remind receivers of referrals without news, expire the stale ones."""

from django.core.management.base import BaseCommand

from meute.referrals.services import expire_stale, send_reminders


class Command(BaseCommand):
    help = "Remind receivers of referrals without news and expire those without news for too long."

    def handle(self, *args, **options) -> None:
        reminded = send_reminders()
        expired = expire_stale()
        self.stdout.write(f"{reminded} reminder(s), {expired} referral(s) expired")
