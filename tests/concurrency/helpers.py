"""The harness the PostgreSQL race tests share."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

from meute.core.exceptions import MeuteError


def race(*calls):
    """Run ``calls`` at the same instant, one thread each; return their results, a domain error as a value."""
    start = threading.Barrier(len(calls))

    def one(call):
        start.wait()
        try:
            return call()
        except MeuteError as exc:
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))
