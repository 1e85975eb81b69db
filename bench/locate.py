"""Point → grid lookups over 10,000 grids: the STRtree index against a brute-force shapely loop.

python -m bench.locate [--rows GRIDS] [--lookups N]
"""

import json
import random
import time

import shapely
from shapely.geometry import box, mapping

from bench._common import arg, emit, setup_django


def grids(n: int):
    from jiceng.org.models import Level, Region

    side = int(n**0.5)
    size = 0.01
    out = []
    for i in range(side):
        for j in range(side):
            geom = box(120 + i * size, 30 + j * size, 120 + (i + 1) * size, 30 + (j + 1) * size)
            # Irregular outlines cost what real ones do: 40-point rings instead of 4.
            geom = geom.buffer(0, quad_segs=1).segmentize(size / 10)
            code = f"330603002{i:03d}{j:03d}"
            out.append(
                Region(
                    code=code,
                    name=code,
                    level=Level.GRID,
                    boundary=json.loads(json.dumps(mapping(geom))),
                )
            )
    return out, side * size


def main() -> None:
    setup_django()
    from jiceng.org.geo import GridIndex

    regions, extent = grids(arg("rows", 10_000))
    n = arg("lookups", 20_000)
    rnd = random.Random(7)
    points = [(120 + rnd.random() * extent, 30 + rnd.random() * extent) for _ in range(n)]

    index = GridIndex(regions, version=1)
    t0 = time.perf_counter()
    found = [index.find(x, y) for x, y in points]
    indexed = n / (time.perf_counter() - t0)

    geoms = index.geoms
    sample = points[: max(200, n // 50)]
    t0 = time.perf_counter()
    brute = []
    for x, y in sample:
        p = shapely.Point(x, y)
        brute.append(next((regions[i] for i, g in enumerate(geoms) if g.intersects(p)), None))
    baseline = len(sample) / (time.perf_counter() - t0)
    assert [r.code for r in brute] == [r.code for r in found[: len(sample)]]
    emit("locate.lookups_per_second", indexed, "lookups/s", baseline, grids=len(regions))


if __name__ == "__main__":
    main()
