"""Reproducible stratified random sampling (S5.1, S7.7, S6.10).

The same seed and the same population always give the same sample: each
stratum is drawn with its own generator seeded from (seed, stratum), from the
population sorted by id, so one company's cases never change another's draw."""

import math
import random
from decimal import Decimal

from django.utils.translation import gettext as _

from kesu.errors import DomainValidationError

MAX_SAMPLE = 5000


def sample_sizes(
    strata: dict[int, int], *, rate: Decimal | None, size: int | None
) -> dict[int, int]:
    """How many to draw from each stratum: `rate` of each (rounded up, so no
    stratum with cases is skipped), or `size` in all allocated in proportion
    with the largest-remainder method."""
    if (rate is None) == (size is None):
        raise DomainValidationError(
            _("请指定抽样比例或抽样数量（二选一）"), field="rate"
        )
    if rate is not None:
        if not Decimal(0) < rate <= Decimal(1):
            raise DomainValidationError(_("抽样比例须在 0 到 1 之间"), field="rate")
        return {k: min(n, math.ceil(n * rate)) for k, n in strata.items()}
    if size is None or size < 1 or size > MAX_SAMPLE:
        raise DomainValidationError(
            _("抽样数量须在 1 到 %(max)s 之间") % {"max": MAX_SAMPLE}, field="size"
        )
    total = sum(strata.values())
    if total <= size:
        return dict(strata)
    quotas = {k: n * size / total for k, n in strata.items()}
    sizes = {k: math.floor(q) for k, q in quotas.items()}
    left = size - sum(sizes.values())
    by_remainder = sorted(strata, key=lambda k: (-(quotas[k] - sizes[k]), k))
    for k in by_remainder[:left]:
        sizes[k] += 1
    return sizes


def draw(
    population: dict[int, list[int]],
    *,
    seed: int,
    rate: Decimal | None = None,
    size: int | None = None,
) -> dict[int, list[int]]:
    """The sampled ids per stratum."""
    sizes = sample_sizes(
        {k: len(v) for k, v in population.items()}, rate=rate, size=size
    )
    sample = {}
    for stratum, ids in sorted(population.items()):
        rng = random.Random(f"{seed}:{stratum}")
        sample[stratum] = sorted(rng.sample(sorted(ids), sizes[stratum]))
    return sample
