"""Resolving a block design: split its blocks into parallel classes (exact cover).

Used for designs built from geometry whose resolution is not given by the geometry
itself (lines of PG(3,2), the Hermitian unital). Two levels of Knuth's Algorithm X:
first every parallel class (blocks covering each point once), then a set of pairwise
disjoint parallel classes. Small designs only (tens of points).
"""

from __future__ import annotations

from collections.abc import Sequence


def parallel_classes(n: int, blocks: Sequence[frozenset[int]], limit: int = 20000) -> list[list[int]]:
    """All parallel classes (as lists of block indices), at most ``limit`` of them."""
    by_point: list[list[int]] = [[] for _ in range(n)]
    for b, block in enumerate(blocks):
        for x in block:
            by_point[x].append(b)
    found: list[list[int]] = []
    covered = [False] * n
    chosen: list[int] = []

    def extend(start: int) -> None:
        if len(found) >= limit:
            return
        point = next((x for x in range(start, n) if not covered[x]), n)
        if point == n:
            found.append(chosen[:])
            return
        for b in by_point[point]:
            if all(not covered[x] for x in blocks[b]):
                for x in blocks[b]:
                    covered[x] = True
                chosen.append(b)
                extend(point + 1)
                chosen.pop()
                for x in blocks[b]:
                    covered[x] = False

    extend(0)
    return found


def disjoint_classes(
    n_blocks: int, classes: Sequence[Sequence[int]], wanted: int, max_nodes: int = 200000
) -> list[int] | None:
    """Indices of ``wanted`` pairwise block-disjoint classes, or None if none found."""
    by_block: list[list[int]] = [[] for _ in range(n_blocks)]
    for c, members in enumerate(classes):
        for b in members:
            by_block[b].append(c)
    used = [False] * n_blocks
    chosen: list[int] = []
    nodes = 0

    def free(c: int) -> bool:
        return all(not used[b] for b in classes[c])

    def extend() -> bool:
        nonlocal nodes
        nodes += 1
        if len(chosen) == wanted:
            return True
        if nodes > max_nodes:
            return False
        # Branch on the unused block with the fewest compatible classes.
        best, best_options = -1, None
        for b in range(n_blocks):
            if not used[b]:
                options = [c for c in by_block[b] if free(c)]
                if best_options is None or len(options) < len(best_options):
                    best, best_options = b, options
                    if len(options) <= 1:
                        break
        if best < 0 or not best_options:
            return False
        for c in best_options:
            for b in classes[c]:
                used[b] = True
            chosen.append(c)
            if extend():
                return True
            chosen.pop()
            for b in classes[c]:
                used[b] = False
        return False

    return chosen[:] if extend() else None


def resolve(n: int, blocks: Sequence[frozenset[int]], wanted: int) -> list[list[list[int]]] | None:
    """``wanted`` disjoint parallel classes of the design, each a list of sorted blocks."""
    classes = parallel_classes(n, blocks)
    picked = disjoint_classes(len(blocks), classes, wanted)
    if picked is None:
        return None
    return [[sorted(blocks[b]) for b in classes[c]] for c in picked]
