"""``meute advise --profile profile.json --json OUT``: rank the territory's networks for a profile."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meute.advisor.exceptions import InvalidProfile
from meute.advisor.profile import parse_profile
from meute.advisor.queries import advice_for


class Command(BaseCommand):
    help = "Rank the territory's networks for a leader's profile (JSON) and propose a network strategy."

    def add_arguments(self, parser):
        parser.add_argument("--profile", required=True, help="JSON file: naf, commune, goals, tags, "
                            "hours_per_month, budget_eur (optional: age_bracket, headcount, text, current_networks)")
        parser.add_argument("--json", dest="out", help="write the answer to this file ('-' for standard output)")

    def handle(self, *args, profile: str, out: str | None, **options):
        try:
            data = json.loads(Path(profile).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"profile: cannot read {profile} ({exc.strerror}).", returncode=2) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"profile: {profile} is not valid JSON ({exc}).", returncode=2) from None
        try:
            parsed = parse_profile(data)
        except InvalidProfile as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field and not str(exc.message).startswith(
                exc.field) else str(exc.message), returncode=2) from None
        result = advice_for(parsed)
        answer = result.to_dict()
        if out:
            text = json.dumps(answer, ensure_ascii=False, indent=2)
            if out == "-":
                self.stdout.write(text)
            else:
                Path(out).write_text(text + "\n", encoding="utf-8")
        if out != "-":
            for rank, r in enumerate(result.ranked or result.closest, 1):
                self.stdout.write(f"{rank:>2}. {r.network.name} — {r.score:g}")
            self.stdout.write("Strategy: " + (" + ".join(r.network.name for r in result.strategy) or "—"))
            for warning in result.warnings:
                self.stderr.write(warning)
