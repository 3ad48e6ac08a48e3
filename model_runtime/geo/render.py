"""From physical units to the model's input: (3, H, W) floats in [0, 1].

Optical: true colour (red, green, blue) from surface reflectance with a fixed gain, so a value
means the same brightness on every scene. SAR: VV, VH and their ratio from sigma0 in dB.
"""

from __future__ import annotations

import numpy as np

REFLECTANCE_GAIN = 3.5  # reflectance 0.29 -> full brightness
VV_DB, VH_DB, RATIO_DB = (-25.0, 5.0), (-32.0, -2.0), (0.0, 15.0)


def optical_to_model(red: np.ndarray, green: np.ndarray, blue: np.ndarray) -> np.ndarray:
    rgb = np.stack([red, green, blue]).astype(np.float32) * REFLECTANCE_GAIN
    return np.clip(np.nan_to_num(rgb, nan=0.0), 0.0, 1.0)


def _scale(x: np.ndarray, lo_hi: tuple[float, float]) -> np.ndarray:
    lo, hi = lo_hi
    return np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def sar_to_model(vv_db: np.ndarray, vh_db: np.ndarray) -> np.ndarray:
    out = np.stack([_scale(vv_db, VV_DB), _scale(vh_db, VH_DB), _scale(vv_db - vh_db, RATIO_DB)])
    return np.nan_to_num(out.astype(np.float32), nan=0.0)
