"""Colloquy: interview and podcast transcripts as a searchable, quotable library for Discord."""

import os
from pathlib import Path

# OpenBLAS's idle threads spin for about 2**28 cycles after each call, taking a core from torch on a 2-core
# machine: indexing, which alternates torch (e5) and numpy's BLAS (USE) every 32 passages, ran 30% slower than
# either model alone (400 passages 3.8 s against 2.9 s). Let them sleep at once; must be set before numpy loads.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
