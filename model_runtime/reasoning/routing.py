"""Which image of a series a `[SEG]` segments.

`parse` (the paper): the last `Image: t_i` (1-based) written since the previous `[SEG]`; without
one, the image the previous `[SEG]` used. `round_robin` (the release): `seg_count % num_images`.
"""

from __future__ import annotations

import re

IMAGE_REF = re.compile(r"Image:\s*t_?\s*(\d+)")


def route_image(mode: str, step_text: str, seg_count: int, num_images: int, previous: int) -> int:
    if num_images <= 1:
        return 0
    if mode == "round_robin":
        return seg_count % num_images
    refs = IMAGE_REF.findall(step_text)
    if refs:
        return min(max(int(refs[-1]) - 1, 0), num_images - 1)
    return previous
