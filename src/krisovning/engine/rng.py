"""Independent random streams: one per (seed, stream name).

Adding or removing a generator changes no other stream's draws, and the same seed
gives the same draws in every process (no dependence on PYTHONHASHSEED).
"""

from __future__ import annotations

import hashlib
import random


def stream_seed(seed: int, name: str) -> int:
    digest = hashlib.sha256(f"{seed}\x00{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def stream(seed: int, name: str) -> random.Random:
    return random.Random(stream_seed(seed, name))
