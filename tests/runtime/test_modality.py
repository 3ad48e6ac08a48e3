"""Optical/SAR selection by beta scores, checked against a computation by hand."""

import math

import torch

from model_runtime.reasoning.modality import choose_modality, modality_scores


def beta_by_hand(v, q):
    n, length, d = len(v), len(q), len(v[0])
    dots = [[sum(v[j][k] * q[m][k] for k in range(d)) / math.sqrt(d) for m in range(length)] for j in range(n)]
    beta = []
    for j in range(n):
        total = 0.0
        for m in range(length):
            z = sum(math.exp(dots[i][m]) for i in range(n))
            total += math.exp(dots[j][m]) / z
        beta.append(total / length)
    return beta


def test_beta_matches_hand_computation():
    g = torch.Generator().manual_seed(1)
    v, q = torch.randn(5, 4, generator=g), torch.randn(3, 4, generator=g)
    expected = beta_by_hand(v.tolist(), q.tolist())
    assert torch.allclose(modality_scores(v, q), torch.tensor(expected), atol=1e-6)
    assert abs(float(modality_scores(v, q).sum()) - 1.0) < 1e-5  # each query token's attention sums to 1


def test_choose_modality_takes_the_higher_beta_per_position():
    q = torch.tensor([[1.0, 0.0]])
    optical = torch.tensor([[3.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    sar = torch.tensor([[0.0, 0.0], [3.0, 0.0], [0.0, 0.0]])
    b_opt, b_sar = modality_scores(optical, q), modality_scores(sar, q)
    positions = torch.tensor([0, 1])
    features, chosen = choose_modality(optical, sar, q, positions)
    assert b_opt[0] > b_sar[0] and b_opt[1] < b_sar[1]
    assert chosen == ["optical", "sar"]
    assert torch.equal(features, torch.stack([optical[0], sar[1]]))
