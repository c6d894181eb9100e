"""Finite fields GF(q), q a prime power, as addition and multiplication tables.

Elements are the integers ``0..q-1``: the base-``p`` digits of an element are the
coefficients of a polynomial over GF(p), reduced modulo a monic irreducible polynomial
of degree ``k`` (``q = p**k``) that is found by search, not stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np


def prime_power(q: int) -> tuple[int, int] | None:
    """``(p, k)`` with ``q == p**k`` and p prime, or None."""
    if q < 2:
        return None
    p = next(d for d in range(2, q + 1) if q % d == 0)
    k, rest = 0, q
    while rest % p == 0:
        rest //= p
        k += 1
    return (p, k) if rest == 1 else None


def _digits(x: int, p: int, k: int) -> list[int]:
    return [(x // p**i) % p for i in range(k)]


def _poly_mod(a: list[int], m: list[int], p: int) -> list[int]:
    """Remainder of polynomial ``a`` by monic ``m`` (coefficients low degree first)."""
    a = a[:]
    deg_m = len(m) - 1
    for i in range(len(a) - 1, deg_m - 1, -1):
        c = a[i] % p
        if c:
            for j in range(deg_m + 1):
                a[i - deg_m + j] = (a[i - deg_m + j] - c * m[j]) % p
    return [c % p for c in a[:deg_m]] + [0] * max(0, deg_m - len(a))


def _is_irreducible(m: list[int], p: int) -> bool:
    """True when monic ``m`` has no monic factor of degree 1..deg/2."""
    deg = len(m) - 1
    for d in range(1, deg // 2 + 1):
        for low in range(p**d):
            factor = [*_digits(low, p, d), 1]
            if not any(_poly_mod(m, factor, p)):
                return False
    return True


def irreducible_polynomial(p: int, k: int) -> list[int]:
    """The first monic irreducible polynomial of degree k over GF(p) in base-p order."""
    for low in range(p**k):
        m = [*_digits(low, p, k), 1]
        if m[0] != 0 and _is_irreducible(m, p):
            return m
    raise ValueError(f"no irreducible polynomial of degree {k} over GF({p})")  # unreachable


@dataclass(frozen=True)
class GF:
    """The field with ``q`` elements: ``add``/``mul`` tables, negation, inverses."""

    q: int
    p: int = field(init=False)
    add: np.ndarray = field(init=False, repr=False)
    mul: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        pk = prime_power(self.q)
        if pk is None:
            raise ValueError(f"GF({self.q}) does not exist: {self.q} is not a prime power.")
        p, k = pk
        m = irreducible_polynomial(p, k)
        digits = [_digits(x, p, k) for x in range(self.q)]
        value = {tuple(d): x for x, d in enumerate(digits)}
        add = np.zeros((self.q, self.q), dtype=np.int64)
        mul = np.zeros((self.q, self.q), dtype=np.int64)
        for x in range(self.q):
            for y in range(self.q):
                add[x, y] = value[tuple((a + b) % p for a, b in zip(digits[x], digits[y], strict=False))]
                prod = [0] * (2 * k - 1)
                for i, a in enumerate(digits[x]):
                    for j, b in enumerate(digits[y]):
                        prod[i + j] += a * b
                mul[x, y] = value[tuple(_poly_mod(prod, m, p))]
        object.__setattr__(self, "p", p)
        object.__setattr__(self, "add", add)
        object.__setattr__(self, "mul", mul)

    def neg(self, x: int) -> int:
        return int(np.flatnonzero(self.add[x] == 0)[0])

    def inv(self, x: int) -> int:
        if x == 0:
            raise ZeroDivisionError("0 has no inverse")
        return int(np.flatnonzero(self.mul[x] == 1)[0])

    def primitive(self) -> int:
        """An element whose powers are all the non-zero elements."""
        for g in range(2, self.q) if self.q > 2 else [1]:
            seen, x = set(), 1
            for _ in range(self.q - 1):
                x = int(self.mul[x, g])
                seen.add(x)
            if len(seen) == self.q - 1:
                return g
        raise ValueError("no primitive element")  # unreachable for a field

    def power(self, g: int, e: int) -> int:
        x = 1
        for _ in range(e % (self.q - 1)):
            x = int(self.mul[x, g])
        return x


@cache
def field_of(q: int) -> GF:
    """Cached :class:`GF` instance."""
    return GF(q)
