"""Text-guided token-wise modality selection for joint optical + SAR input.

beta_j^mu = (1/L) sum_l softmax_j(v^mu q^T / sqrt(D))_{j,l}: how much the L question tokens attend
to visual token j of modality mu (softmax over the tokens of that modality). At a selected
position j the optical token is fed back when beta_j^opt > beta_j^SAR, else the SAR token.
"""

from __future__ import annotations

import math

import torch


def modality_scores(visual: torch.Tensor, query: torch.Tensor) -> torch.Tensor:
    """beta for one modality: `visual` (N, D), `query` (L, D) -> (N,)."""
    logits = visual.float() @ query.float().T / math.sqrt(visual.shape[-1])
    return torch.softmax(logits, dim=0).mean(dim=1)


def choose_modality(optical: torch.Tensor, sar: torch.Tensor, query: torch.Tensor, positions: torch.Tensor):
    """Per selected position, the fed-back feature and the modality it came from."""
    take_optical = modality_scores(optical, query)[positions] > modality_scores(sar, query)[positions]
    features = torch.where(take_optical[:, None], optical[positions], sar[positions])
    return features, ["optical" if o else "sar" for o in take_optical.tolist()]
