"""The training forward pass: teacher forcing with the ground-truth masks' features interleaved.

For each example the sequence is: prompt (visual tokens in place) + chain tokens, where after
every `[SEG]` the visual features under the ground-truth mask are inserted (the optical or SAR
feature per position, by beta, for joint input). The LM loss covers the chain's text and `[SEG]`
tokens; the inserted features are never targets. The hidden state at each `[SEG]` goes through
`text_hidden_fcs` and the mask decoder; the mask loss is lambda * (w_dice * Dice + w_bce * BCE).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ..model.terrascope import TerraScopeModel
from ..reasoning.modality import choose_modality
from .examples import Example

IGNORE = -100


@dataclass(frozen=True)
class LossWeights:
    mask: float = 0.5  # lambda
    dice: float = 1.0
    bce: float = 1.0


PAPER_LOSS = LossWeights(0.5, 1.0, 1.0)  # L_LM + 0.5 (Dice + BCE)
RELEASE_LOSS = LossWeights(1.0, 0.5, 2.0)  # the public release: BCE 2.0 + Dice 0.5


def dice_loss(logits: torch.Tensor, target: torch.Tensor, eps: float = 1.0) -> torch.Tensor:
    prob = torch.sigmoid(logits).flatten(1)
    target = target.flatten(1)
    inter = (prob * target).sum(1)
    return (1 - (2 * inter + eps) / (prob.sum(1) + target.sum(1) + eps)).mean()


def _sequence(model: TerraScopeModel, ex: Example, visual: torch.Tensor, special):
    """(embeddings (n, d), labels (n,), [SEG] positions) of one example."""
    prompt_ids = torch.tensor(ex.prompt.ids, device=visual.device)
    embeds = model.embed_tokens(prompt_ids).clone()
    for (start, length), v in zip(ex.prompt.image_spans, visual):
        embeds[start:start + length] = v
    query = embeds[ex.prompt.question_positions]
    parts, labels, seg_positions = [embeds], [torch.full((len(prompt_ids),), IGNORE)], []
    chain = torch.tensor(ex.chain, device=visual.device)
    chain_embeds = model.embed_tokens(chain)
    length, seg_k, text_start = len(prompt_ids), 0, 0
    # the last prompt token predicts the first chain token
    labels[0][-1] = ex.chain[0]
    for i, token in enumerate(ex.chain):
        if token != special.seg or seg_k >= len(ex.masks):
            continue
        parts.append(chain_embeds[text_start:i + 1])
        labels.append(_next_labels(ex.chain, text_start, i + 1))
        length += i + 1 - text_start
        seg_positions.append(length - 1)
        positions = ex.inject[seg_k].to(visual.device)
        if len(positions):
            if ex.modalities == ["optical", "sar"]:
                fed, _ = choose_modality(visual[0], visual[1], query, positions)
            else:
                fed = visual[ex.mask_images[seg_k]][positions]
            parts.append(fed)
            lab = torch.full((len(positions),), IGNORE)
            labels[-1][-1] = IGNORE  # [SEG] does not predict a visual feature
            lab[-1] = ex.chain[i + 1] if i + 1 < len(ex.chain) else IGNORE  # the last one predicts the text
            labels.append(lab)
            length += len(positions)
        seg_k += 1
        text_start = i + 1
    parts.append(chain_embeds[text_start:])
    labels.append(_next_labels(ex.chain, text_start, len(ex.chain)))
    return torch.cat(parts), torch.cat(labels), seg_positions


def _next_labels(chain: list[int], start: int, stop: int) -> torch.Tensor:
    """Targets of chain positions start..stop-1: the following chain token (none after the last)."""
    out = torch.tensor(chain[start + 1:stop + 1] + [IGNORE] * max(0, stop + 1 - len(chain)), dtype=torch.long)
    return out[: stop - start]


def batch_loss(model: TerraScopeModel, batch: list[Example], special,
               weights: LossWeights) -> tuple[torch.Tensor, dict]:
    """Loss of one batch (frozen encoders simply have no trainable parameters) and its statistics."""
    device = next(model.parameters()).device
    images = torch.cat([ex.images for ex in batch]).to(device)
    visual = model.visual_tokens(images)
    grounding = model.grounding_features(images)
    offsets, seqs = [], []
    start = 0
    for ex in batch:
        offsets.append(start)
        seqs.append(_sequence(model, ex, visual[start:start + len(ex.images)], special))
        start += len(ex.images)
    n = max(len(s[1]) for s in seqs)
    d = visual.shape[-1]
    embeds = torch.zeros(len(batch), n, d, device=device, dtype=visual.dtype)
    labels = torch.full((len(batch), n), IGNORE, dtype=torch.long, device=device)
    attention = torch.zeros(len(batch), n, dtype=torch.long, device=device)
    for b, (e, lab, _) in enumerate(seqs):
        embeds[b, :len(lab)] = e
        labels[b, :len(lab)] = lab.to(device)
        attention[b, :len(lab)] = 1
    positions = torch.arange(n, device=device)[None].expand(len(batch), -1)
    hidden, logits, _ = model.language_forward(embeds, positions, attention_mask=attention)
    lm = F.cross_entropy(logits.float().flatten(0, 1), labels.flatten(), ignore_index=IGNORE)
    stats = {"lm": lm.item()}
    seg_hidden, seg_feats_idx, targets = [], [], []
    for b, (ex, (_, _, seg_pos)) in enumerate(zip(batch, seqs)):
        for k, pos in enumerate(seg_pos):
            seg_hidden.append(hidden[b, pos])
            seg_feats_idx.append(offsets[b] + ex.mask_images[k])
            targets.append(ex.masks[k])
    loss = lm
    if seg_hidden:
        idx = torch.tensor(seg_feats_idx, device=device)
        mask_logits, _ = model.mask_logits(torch.stack(seg_hidden), [f[idx] for f in grounding])
        target = torch.stack(targets).to(device).float()
        bce = F.binary_cross_entropy_with_logits(mask_logits.float(), target)
        dice = dice_loss(mask_logits.float(), target)
        loss = lm + weights.mask * (weights.dice * dice + weights.bce * bce)
        with torch.no_grad():
            pred = mask_logits > 0
            inter = (pred & target.bool()).flatten(1).sum(1).float()
            union = (pred | target.bool()).flatten(1).sum(1).float()
            stats.update(bce=bce.item(), dice=dice.item(), iou=(inter / union.clamp(min=1)).mean().item())
    stats["loss"] = loss.item()
    return loss, stats
