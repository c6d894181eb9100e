"""The ``meute`` command.

Two kinds of sub-commands live behind it:

* *library commands* (``groups``, ``rotation``, ``bench``, ``warm-up``) run the pure optimisation
  library on files; they do not need a database and start fast. Each is a module of
  :mod:`meute.commands` exposing ``main(argv: list[str]) -> int``.
* every other word is a Django management command: ``meute import-members x.csv`` runs
  ``manage.py import_members x.csv``.

Bad input exits with code 2 and a message on stderr.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # the command's start: the engines' time budgets count from here

import importlib  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

LIBRARY_COMMANDS = {
    "groups": "meute.commands.groups",
    "rotation": "meute.commands.rotation",
    "bench": "meute.commands.bench",
    "warm-up": "meute.commands.warmup",
}
TIMED_COMMANDS = {"groups"}  # their --seconds count from the command's start (imports included)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in LIBRARY_COMMANDS:
        module = importlib.import_module(LIBRARY_COMMANDS[argv[0]])
        if argv[0] in TIMED_COMMANDS:
            return int(module.main(argv[1:], started=STARTED) or 0)
        return int(module.main(argv[1:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
    from django.core.management import execute_from_command_line

    if argv and not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")
    execute_from_command_line(["meute", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
