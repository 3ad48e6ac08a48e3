"""Measurements of masks on a georeferenced grid: areas, shares, counts, gaps, shared boundaries.

Areas use the grid's cell area (|det| of the geotransform), which is exact on a projected CRS;
distances are between pixel edges (two touching regions are 0 m apart).
"""

from __future__ import annotations

import numpy as np
from rasterio.transform import Affine
from scipy import ndimage


def cell_area_m2(transform: Affine) -> float:
    return abs(transform.a * transform.e - transform.b * transform.d)


def area_m2(mask: np.ndarray, transform: Affine) -> float:
    return float(np.count_nonzero(mask)) * cell_area_m2(transform)


def coverage_percent(mask: np.ndarray) -> float:
    return 100.0 * float(np.count_nonzero(mask)) / mask.size


def count_objects(mask: np.ndarray) -> int:
    """Connected regions (4-connectivity)."""
    return int(ndimage.label(mask)[1])


def new_objects(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Regions of `after` that overlap no pixel of `before` (buildings that appeared)."""
    labelled, n = ndimage.label(after)
    if n == 0:
        return np.zeros_like(after, bool)
    touched = np.unique(labelled[before & after])
    keep = np.ones(n + 1, bool)
    keep[touched] = False
    keep[0] = False
    return keep[labelled]


def gap_m(a: np.ndarray, b: np.ndarray, pixel_size: float) -> float | None:
    """Edge-to-edge distance between two masks in metres (None when one is empty)."""
    if not a.any() or not b.any():
        return None
    centre_distance = ndimage.distance_transform_edt(~b)[a].min()
    return float(max(centre_distance - 1.0, 0.0) * pixel_size)


def shared_boundary_m(a: np.ndarray, b: np.ndarray, pixel_size: float) -> float:
    """Length of the boundary between `a` and `b` (4-neighbour pixel edges) in metres."""
    edges = np.count_nonzero(a[:, :-1] & b[:, 1:]) + np.count_nonzero(b[:, :-1] & a[:, 1:])
    edges += np.count_nonzero(a[:-1, :] & b[1:, :]) + np.count_nonzero(b[:-1, :] & a[1:, :])
    return float(edges) * pixel_size


def contains(outer: np.ndarray, inner: np.ndarray) -> bool:
    """Whether `inner` lies within `outer` once the holes of `outer` are filled."""
    return bool(inner.any() and ndimage.binary_fill_holes(outer)[inner].all())


def iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.count_nonzero(a | b)
    return 1.0 if union == 0 else float(np.count_nonzero(a & b)) / union


def direction(mask: np.ndarray) -> str | None:
    """Where the mask's centroid lies: 'north-west' ... 'centre' (north is up)."""
    if not mask.any():
        return None
    ys, xs = np.nonzero(mask)
    h, w = mask.shape
    fy, fx = ys.mean() / h, xs.mean() / w
    ns = "north" if fy < 1 / 3 else "south" if fy > 2 / 3 else ""
    ew = "west" if fx < 1 / 3 else "east" if fx > 2 / 3 else ""
    return "-".join(p for p in (ns, ew) if p) or "centre"
