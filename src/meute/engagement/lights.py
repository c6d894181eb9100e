"""The engagement light: attendance over a rolling window, normalised by what was offered.

For a member of a network, every registered component (:mod:`meute.engagement.components`)
says what was expected of them in the window and what they did. The rate is attended over
expected; excused absences are neither. The light is

* **grey** when nothing was expected (no meeting held, no event attended or missed),
* **green** at a rate of at least ``GREEN`` (75 %),
* **amber** at least ``AMBER`` (50 %),
* **red** below.

Pure arithmetic here (:func:`light_for`); the reads that say who may see which light are in
:mod:`meute.engagement.queries`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from meute.engagement.components import REGISTRY, Tally, Window

WINDOW_DAYS = 183  # about six months
GREEN = 0.75
AMBER = 0.50

GREY, GREEN_LIGHT, AMBER_LIGHT, RED = "grey", "green", "amber", "red"


@dataclass(slots=True)
class Light:
    leader_id: int
    network_id: int
    colour: str
    total: Tally
    components: dict[str, Tally] = field(default_factory=dict)

    @property
    def rate(self) -> int | None:
        """Attendance in per cent of what was expected, or ``None`` when nothing was."""
        return round(100 * self.total.attended / self.total.expected) if self.total.expected else None

    def parts(self) -> list[tuple[str, Tally]]:
        """The components with their labels, in the registry's order."""
        return [(str(REGISTRY[name].label), self.components[name]) for name in REGISTRY if name in self.components]


def colour_for(total: Tally) -> str:
    if total.expected == 0:
        return GREY
    rate = total.attended / total.expected
    return GREEN_LIGHT if rate >= GREEN else AMBER_LIGHT if rate >= AMBER else RED


def light_for(leader_id: int, network_id: int, components: dict[str, Tally]) -> Light:
    expected = attended = excused = 0
    for tally in components.values():
        expected, attended, excused = expected + tally[0], attended + tally[1], excused + tally[2]
    total = Tally(expected, attended, excused)
    return Light(leader_id, network_id, colour_for(total), total, components)


def window(now: datetime.datetime | None = None, days: int = WINDOW_DAYS) -> Window:
    end = now or timezone.now()
    return Window(end - datetime.timedelta(days=days), end)


def compute_lights(network_id: int, leader_ids: Iterable[int] | None = None, *,
                   now: datetime.datetime | None = None) -> dict[int, Light]:
    """Lights of the members who had something expected of them (everyone else is grey).
    One SQL aggregate per component for the whole network."""
    span = window(now)
    ids = None if leader_ids is None else list(leader_ids)
    per_leader: dict[int, dict[str, Tally]] = {}
    for name, component in REGISTRY.items():
        for leader_id, tally in component.compute(network_id, span, ids).items():
            per_leader.setdefault(leader_id, {})[name] = tally
    return {leader_id: light_for(leader_id, network_id, parts) for leader_id, parts in per_leader.items()}


def grey(leader_id: int, network_id: int) -> Light:
    return Light(leader_id, network_id, GREY, Tally(), {})
