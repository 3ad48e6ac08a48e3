"""From a mask at image resolution to the visual tokens fed back into the LLM.

Two rules, switchable:
- `paper`: a token is selected when the mask covers more than 50% of its pixel block.
- `release`: the public checkpoint's rule: the mask resampled to the token grid with NEAREST, at
  most 8 tokens kept (nearest selected token to each centre of a 3x3 grid over the selected
  tokens' bounding box), and the token under the mask's centroid when none is selected.
Indices returned are positions in the image's visual-token sequence (tiles in row-major order,
s x s tokens per tile in row-major order, as `TerraScopeModel.visual_tokens` lays them out).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

RELEASE_MAX_TOKENS = 8


def token_sequence_index(tile_grid: tuple[int, int], tokens_per_tile_side: int) -> torch.Tensor:
    """(rows*s, cols*s) map from a token's place on the image grid to its sequence position."""
    rows, cols = tile_grid
    s = tokens_per_tile_side
    gy, gx = torch.meshgrid(torch.arange(rows * s), torch.arange(cols * s), indexing="ij")
    tile = (gy // s) * cols + gx // s
    return tile * s * s + (gy % s) * s + gx % s


def token_coverage(mask: torch.Tensor, token_grid: tuple[int, int]) -> torch.Tensor:
    """Share of each token's pixel block covered by `mask` (H, W), as a (gh, gw) tensor."""
    return F.adaptive_avg_pool2d(mask.float()[None, None], token_grid)[0, 0]


def select_paper(mask: torch.Tensor, token_grid: tuple[int, int]) -> torch.Tensor:
    """Grid cells (flat gy*gw+gx, ascending) whose block the mask covers by more than half."""
    return torch.nonzero(token_coverage(mask, token_grid).flatten() > 0.5).flatten()


def select_release(mask: torch.Tensor, token_grid: tuple[int, int],
                   max_tokens: int = RELEASE_MAX_TOKENS) -> torch.Tensor:
    """Grid cells (flat) chosen by the released checkpoint's rule, in 3x3-cell order."""
    gh, gw = token_grid
    nearest = F.interpolate(mask.float()[None, None], size=token_grid, mode="nearest")[0, 0] > 0.5
    cells = torch.nonzero(nearest)  # (n, 2) as (gy, gx)
    if len(cells) == 0:
        return _centroid_cell(mask, token_grid)
    if len(cells) <= max_tokens:
        return cells[:, 0] * gw + cells[:, 1]
    y0, x0 = cells.min(dim=0).values.tolist()
    y1, x1 = (cells.max(dim=0).values + 1).tolist()
    centres = cells.float() + 0.5
    chosen: list[int] = []
    for k in range(3):
        cy = y0 + (y1 - y0) * (2 * k + 1) / 6
        for m in range(3):
            cx = x0 + (x1 - x0) * (2 * m + 1) / 6
            d = (centres[:, 0] - cy) ** 2 + (centres[:, 1] - cx) ** 2
            gy, gx = cells[int(torch.argmin(d))].tolist()
            flat = gy * gw + gx
            if flat not in chosen:
                chosen.append(flat)
    return torch.tensor(chosen[:max_tokens], dtype=torch.long)


def _centroid_cell(mask: torch.Tensor, token_grid: tuple[int, int]) -> torch.Tensor:
    """The cell under the mask's centroid; an empty mask selects nothing."""
    ys, xs = torch.nonzero(mask, as_tuple=True)
    if len(ys) == 0:
        return torch.zeros(0, dtype=torch.long)
    h, w = mask.shape
    gh, gw = token_grid
    gy = min(int((ys.float().mean() + 0.5) * gh / h), gh - 1)
    gx = min(int((xs.float().mean() + 0.5) * gw / w), gw - 1)
    return torch.tensor([gy * gw + gx], dtype=torch.long)


RULES = {"paper": select_paper, "release": select_release}


def select_tokens(mask: torch.Tensor, rule: str, tile_grid: tuple[int, int], tokens_per_tile_side: int) -> torch.Tensor:
    """Sequence positions of the visual tokens selected under `rule` ("paper" or "release")."""
    index = token_sequence_index(tile_grid, tokens_per_tile_side)
    cells = RULES[rule](mask, tuple(index.shape))
    return index.flatten()[cells]


def box_mask(mask: torch.Tensor) -> torch.Tensor:
    """The filled bounding box of `mask` (the box-instead-of-mask ablation)."""
    out = torch.zeros_like(mask, dtype=torch.bool)
    ys, xs = torch.nonzero(mask, as_tuple=True)
    if len(ys):
        out[int(ys.min()):int(ys.max()) + 1, int(xs.min()):int(xs.max()) + 1] = True
    return out


def feed_back_positions(mask: torch.Tensor, rules, tile_grid: tuple[int, int], tokens_per_tile_side: int,
                        seg_index: int) -> torch.Tensor:
    """The positions fed back for one `[SEG]` under `rules` (its selection rule and ablation)."""
    if rules.feed_back == "none":
        return torch.zeros(0, dtype=torch.long)
    if rules.feed_back == "box":
        return select_tokens(box_mask(mask), rules.token_selection, tile_grid, tokens_per_tile_side)
    positions = select_tokens(mask, rules.token_selection, tile_grid, tokens_per_tile_side)
    if rules.feed_back == "random":
        total = token_sequence_index(tile_grid, tokens_per_tile_side).numel()
        g = torch.Generator().manual_seed(1000 + seg_index)
        return torch.randperm(total, generator=g)[: len(positions)].sort().values
    return positions
