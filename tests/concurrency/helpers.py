"""The harness the PostgreSQL race tests share."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from django.utils import translation

from meute.core.exceptions import MeuteError


def race(*calls, together: int | None = None):
    """Run ``calls`` at the same instant, one thread each; return their results, a domain error as a value.

    Messages are in the source language. With ``together``, only that many threads (and connections) run:
    the first ``together`` calls start at the same instant, the others follow as threads come free.
    """
    threads = together or len(calls)
    start = threading.Barrier(threads)

    def one(index_call):
        index, call = index_call
        if index < threads:
            start.wait()
        try:
            with translation.override("en"):
                return call()
        except MeuteError as exc:
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, enumerate(calls)))


def sent_once(call):
    """``call`` as a race entry: ("created", obj), or ("repeat", obj) when a first sending made ``obj``."""
    from meute.core.submissions import Resubmitted

    def run():
        try:
            return ("created", call())
        except Resubmitted as repeat:
            return ("repeat", repeat.obj)

    return run


def outcomes_of(results):
    """The kinds of answer ``sent_once`` sendings got, and the distinct objects they were shown."""
    return sorted(kind for kind, _ in results), {obj.pk for _, obj in results}
