"""Sensor profiles: which band is which, and how digital numbers become reflectance or dB.

A profile maps band roles (blue, green, red, nir, swir1, swir2 / vv, vh) to 1-based band indices
of the file and gives the linear scaling of its digital numbers. `detect_profile` reads what the
file says about itself (tags, descriptions, data type, band count); an explicit name overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SensorProfile:
    name: str
    bands: dict[str, int]  # role -> 1-based band index
    scale: float = 1.0
    offset: float = 0.0
    kind: str = "optical"  # "optical" | "sar"
    units: str = "reflectance"  # "reflectance" | "display" (8/16-bit imagery) | "db" | "linear"
    description: str = ""

    @property
    def min_bands(self) -> int:
        return max(self.bands.values())

    def convert(self, dn: np.ndarray) -> np.ndarray:
        """Digital numbers -> physical values (reflectance, or sigma0 in dB for SAR)."""
        values = dn.astype(np.float32) * self.scale + self.offset
        if self.units == "linear":
            return 10 * np.log10(np.clip(values, 1e-6, None))
        return values


_SIX = {"blue": 1, "green": 2, "red": 3, "nir": 4, "swir1": 5, "swir2": 6}
PROFILES = {p.name: p for p in [
    SensorProfile("terrascope-reflectance", _SIX, 1e-4, 0.0,
                  description="this project's scenes: six bands, reflectance x 10000"),
    SensorProfile("sentinel2-l2a", {"blue": 2, "green": 3, "red": 4, "nir": 8, "swir1": 11, "swir2": 12},
                  1e-4, -0.1, description="Sentinel-2 L2A, 12/13 bands in band order, baseline >= 04.00 offset"),
    SensorProfile("sentinel2-l1c", {"blue": 2, "green": 3, "red": 4, "nir": 8, "swir1": 12, "swir2": 13},
                  1e-4, -0.1, description="Sentinel-2 L1C, 13 bands in band order, baseline >= 04.00 offset"),
    SensorProfile("sentinel2-rgbn", {"blue": 1, "green": 2, "red": 3, "nir": 4}, 1e-4, 0.0,
                  description="Sentinel-2 B02, B03, B04, B08 stacked, reflectance x 10000"),
    SensorProfile("landsat89-c2-l2", {"blue": 2, "green": 3, "red": 4, "nir": 5, "swir1": 6, "swir2": 7},
                  2.75e-5, -0.2, description="Landsat 8/9 Collection 2 Level-2 surface reflectance, SR_B1..B7"),
    SensorProfile("landsat8-c1-l1-rgb", {"blue": 1, "green": 2, "red": 3}, 2e-5, -0.1,
                  description="Landsat 8 Collection 1 Level-1 B2, B3, B4 stacked (top-of-atmosphere)"),
    SensorProfile("rgb8", {"red": 1, "green": 2, "blue": 3}, 1 / 255 / 3.5, 0.0, units="display",
                  description="8-bit RGB imagery"),
    SensorProfile("rgbn8", {"red": 1, "green": 2, "blue": 3, "nir": 4}, 1 / 255 / 3.5, 0.0, units="display",
                  description="8-bit red, green, blue, NIR imagery"),
    SensorProfile("rgb16", {"red": 1, "green": 2, "blue": 3}, 1 / 65535 / 3.5, 0.0, units="display",
                  description="16-bit RGB imagery"),
    SensorProfile("sentinel1-db", {"vv": 1, "vh": 2}, kind="sar", units="db",
                  description="Sentinel-1 GRD sigma0 VV, VH in dB"),
    SensorProfile("sentinel1-linear", {"vv": 1, "vh": 2}, kind="sar", units="linear",
                  description="Sentinel-1 GRD sigma0 VV, VH in linear power"),
]}


def get_profile(name: str) -> SensorProfile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown sensor profile {name!r}; known: {', '.join(PROFILES)}") from None


def detect_profile(count: int, dtype: str, tags: dict[str, str], descriptions: list[str | None],
                   kind: str = "optical", median: float | None = None) -> SensorProfile:
    """The profile a raster most likely follows, from its own metadata (and, for SAR without
    units, the median of its first band: dB values are negative, linear power is not)."""
    text = " ".join([*(d or "" for d in descriptions), *tags.values(), *tags.keys()]).lower()
    sensor = tags.get("SENSOR", "").lower()
    if kind == "sar" or sensor == "sentinel1" or ("vv" in text and "vh" in text):
        units = tags.get("UNITS", "").lower()
        linear = units == "linear" or (not units and median is not None and median > 0)
        return PROFILES["sentinel1-linear" if linear else "sentinel1-db"]
    if sensor == "landsat8-c1-l1" and count == 3:
        return PROFILES["landsat8-c1-l1-rgb"]
    if sensor in ("sentinel2", "landsat8") and count >= 6:
        return PROFILES["terrascope-reflectance"]
    if "sr_b" in text or "landsat" in text and count >= 7:
        return PROFILES["landsat89-c2-l2"]
    if count >= 13:
        return PROFILES["sentinel2-l1c"]
    if count == 12:
        return PROFILES["sentinel2-l2a"]
    if dtype == "uint8":
        return PROFILES["rgbn8" if count >= 4 else "rgb8"]
    if dtype == "uint16" and count == 4:
        return PROFILES["sentinel2-rgbn"]
    if dtype == "uint16" and count == 3:
        return PROFILES["rgb16"]
    raise ValueError(f"cannot tell the sensor of a {count}-band {dtype} raster; name a profile "
                     f"({', '.join(PROFILES)})")
