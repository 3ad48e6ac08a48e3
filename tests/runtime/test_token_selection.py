"""Token selection: the paper's > 50% rule and the release's nearest / 8-token / centroid rule.

The tiny layout: a 128 px image in 2x2 tiles of 64 px, 4x4 tokens per tile, so a token is a
16 px block and tile borders lie at 64 px. Sequence positions are tile-major.
"""

import torch

from model_runtime.reasoning.token_selection import (
    select_paper,
    select_release,
    select_tokens,
    token_sequence_index,
)

GRID, TILES, SIDE = (8, 8), (2, 2), 4


def rect(y0, y1, x0, x1, size=128):
    m = torch.zeros(size, size, dtype=torch.bool)
    m[y0:y1, x0:x1] = True
    return m


def test_sequence_index_is_tile_major():
    index = token_sequence_index(TILES, SIDE)
    assert index[0, 0] == 0 and index[0, 3] == 3 and index[3, 3] == 15  # tile 0
    assert index[0, 4] == 16  # first token of tile 1 (top right)
    assert index[4, 0] == 32  # first token of tile 2 (bottom left)
    assert index[7, 7] == 63
    assert sorted(index.flatten().tolist()) == list(range(64))


def test_paper_rule_needs_more_than_half_of_a_token():
    # rows 56..72 straddle the tile border: exactly half of token rows 3 and 4 -> nothing selected
    assert select_tokens(rect(56, 72, 48, 64), "paper", TILES, SIDE).numel() == 0
    # one pixel row more on each side: 9/16 of both token rows -> both selected, in two tiles
    got = select_tokens(rect(55, 73, 48, 64), "paper", TILES, SIDE).tolist()
    assert sorted(got) == [15, 35]  # (gy 3, gx 3) in tile 0; (gy 4, gx 3) in tile 2


def test_paper_rule_across_the_four_tile_corner():
    # a 40 px square centred on the corner where the four tiles meet: tokens (3..4, 3..4) are
    # fully covered, their neighbours only 4/16
    got = select_tokens(rect(44, 84, 44, 84), "paper", TILES, SIDE).tolist()
    assert sorted(got) == sorted([15, 16 + 12, 32 + 3, 48 + 0])


def test_paper_rule_partial_coverage_threshold():
    m = rect(0, 16, 0, 9)  # 9/16 of token (0, 0)
    assert select_paper(m, GRID).tolist() == [0]
    m = rect(0, 16, 0, 8)  # exactly half
    assert select_paper(m, GRID).tolist() == []


def test_release_rule_keeps_small_masks_whole():
    m = rect(0, 32, 0, 64)  # 2 x 4 = 8 tokens, all on the nearest samples
    assert select_release(m, GRID).tolist() == [0, 1, 2, 3, 8, 9, 10, 11]


def test_release_rule_caps_at_eight_by_the_3x3_grid():
    m = rect(0, 128, 0, 128)  # every token
    got = select_release(m, GRID).tolist()
    assert len(got) == 8
    # centres of a 3x3 grid over the 8x8 box lie at 1.33, 4, 6.67 -> tokens (1,1) (1,3) (1,6) (3,1) ...
    # (nearest token centre, lowest index on ties); the ninth cell is dropped by the cap
    assert got == [1 * 8 + 1, 1 * 8 + 3, 1 * 8 + 6, 3 * 8 + 1, 3 * 8 + 3, 3 * 8 + 6, 6 * 8 + 1, 6 * 8 + 3]


def test_release_rule_falls_back_to_the_centroid_token():
    m = rect(70, 74, 100, 104)  # 4x4 px, misses every nearest sample point
    assert select_paper(m, GRID).tolist() == []
    assert select_release(m, GRID).tolist() == [4 * 8 + 6]  # centroid (72, 102) -> token (4, 6)
    assert select_release(torch.zeros(128, 128, dtype=torch.bool), GRID).tolist() == []
