"""Seed ranges: training, distractor pools and the held-out benchmark never share a scene."""

TRAIN_SEEDS = range(0, 1_000_000)
POOL_SEEDS = range(2_000_000, 2_000_150)
BENCH_SEEDS = range(1_000_000_000, 1_001_000_000)


def check_disjoint() -> None:
    spans = sorted((r.start, r.stop) for r in (TRAIN_SEEDS, POOL_SEEDS, BENCH_SEEDS))
    for (_, stop), (start, _) in zip(spans, spans[1:]):
        if start < stop:
            raise AssertionError("seed ranges overlap")
