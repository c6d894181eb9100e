"""The header's search box: people, companies, networks and events in one page.

Every section is read through the same queries as its own page, so the same rules hold:
people and their companies through ``list_directory`` (listed members with consent, only for
someone who may use the directory), networks through ``list_networks``, events through
``list_events`` (public ones, and members-only ones of the person's networks).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meute.core.text import fold, search_terms
from meute.events.queries import EventFilters, list_events
from meute.members.queries import DirectoryFilters, list_directory, list_networks

LIMIT = 10
QUERY_MAX = 100


def _matches(text: str, terms: list[str]) -> bool:
    folded = fold(text)
    return all(term in folded for term in terms)


def find(user: object, text: str) -> dict[str, list]:
    """What ``user`` may see that matches every word of ``text``, at most ``LIMIT`` per kind."""
    terms = search_terms(text)
    if not terms:
        return {"people": [], "companies": [], "networks": [], "events": []}
    people = list(list_directory(user, DirectoryFilters(q=text))[: LIMIT * 5])
    companies: dict[int, dict] = {}
    for leader in people:
        if leader.company and _matches(leader.company.name, terms):
            entry = companies.setdefault(leader.company.pk, {"company": leader.company, "leaders": []})
            entry["leaders"].append(leader)
    networks = [n for n in list_networks(user) if _matches(f"{n.name} {n.slug}", terms)][:LIMIT]
    events = list(list_events(user, EventFilters(when="all", q=text.strip()))[:LIMIT])
    return {"people": people[:LIMIT], "companies": list(companies.values())[:LIMIT],
            "networks": networks, "events": events}


@login_required
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:QUERY_MAX].strip()
    found = find(request.user, text)
    return render(request, "web/search/results.html", {
        "q": text, "site_search_q": text, "found": found,
        "total": sum(len(v) for v in found.values()),
    })
