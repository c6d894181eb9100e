"""A monotonic clock readable from numba kernels, so that long kernels keep a deadline.

:func:`now` returns the seconds of ``CLOCK_MONOTONIC``, the clock of Python's
``time.perf_counter()`` on Linux: a kernel given ``deadline = time.perf_counter() + s``
stops when ``now() >= deadline``. It calls the C library's ``clock_gettime`` by name (no
address is baked into the machine code), so kernels using it stay cacheable
(``cache=True``). A deadline of ``math.inf`` never stops a kernel.
"""

from __future__ import annotations

import time

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

CLOCK_MONOTONIC = 1  # Linux


@intrinsic
def _monotonic_ns(typingctx):  # pragma: no cover - compiled by numba
    def codegen(context, builder, signature, args):
        i64, i32 = ir.IntType(64), ir.IntType(32)
        timespec = ir.LiteralStructType([i64, i64])
        ts = cgutils.alloca_once(builder, timespec)
        fnty = ir.FunctionType(i32, [i32, timespec.as_pointer()])
        clock_gettime = cgutils.get_or_insert_function(builder.module, fnty, "clock_gettime")
        builder.call(clock_gettime, [i32(CLOCK_MONOTONIC), ts])
        sec = builder.load(cgutils.gep_inbounds(builder, ts, 0, 0))
        nsec = builder.load(cgutils.gep_inbounds(builder, ts, 0, 1))
        return builder.add(builder.mul(sec, i64(1_000_000_000)), nsec)

    return types.int64(), codegen


@njit(cache=True)
def now() -> float:
    """Seconds on the clock of ``time.perf_counter()`` (callable from kernels)."""
    return _monotonic_ns() / 1e9


def check() -> float:
    """The difference between :func:`now` and ``time.perf_counter()`` (about 0 when they agree)."""
    return now() - time.perf_counter()
