"""The code picker's ranking per keystroke: fuzzy characters plus shared lemmas.

    python benchmarks/picker_ranking.py            # 100, 500 and 2000 codes

Prints the one-time cost of loading the lemma dictionary (the workbench does it in its
pipeline worker) and the median time to rank a codebook for one query. Never run by the
test suite.
"""
from __future__ import annotations

import random
import statistics
import time

from themecoder.core.coding import fuzzy_codes
from themecoder.core.views import content_lemmas, rank_codes
from themecoder.model import Code

WORDS = ("relasjon tillit tid dokumentasjon bruker medvirkning bolig først nyutdannede kommer med nye "
         "ideer erfaring leder ansvar hjelp samarbeid tjeneste møte hverdag").split()
QUERIES = ["nyutdannet sosionom i første jobb", "tillit", "dokumentasjon tar tid", "bolig"]


def main() -> None:
    start = time.perf_counter()
    content_lemmas("relasjonene")
    print(f"lemma dictionary load: {time.perf_counter() - start:.2f} s (once)")
    rng = random.Random(14)
    for n in (100, 500, 2000):
        codes = [Code(str(i), " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7))), "", "#000000",
                      False, None, "") for i in range(n)]
        times = []
        for _ in range(5):
            for q in QUERIES:
                t = time.perf_counter()
                rank_codes(fuzzy_codes(codes, q, limit=len(codes)), q)
                times.append(time.perf_counter() - t)
        print(f"{n:>5} codes: median {statistics.median(times) * 1000:.1f} ms per keystroke, "
              f"max {max(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
