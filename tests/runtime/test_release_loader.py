"""The public release's layout (Sa2VA-style InternVL3 + SAM2) mapped onto our modules and back.

A small checkpoint with the release's key names and our tiny shapes is written by the tests
(`ours_to_release`), then read back; every tensor must survive bit-exactly.
"""

import json

import pytest
import torch
import torch.nn as nn
from safetensors.torch import load_file, save_file

from model_runtime.model.checkpoint import CheckpointError
from model_runtime.model.configs import get_config
from model_runtime.model.release import _RENAMES, load_release, ours_to_release, release_to_ours, unused_release_keys
from model_runtime.model.terrascope import TerraScopeModel

VISION_HEADS = 4
SAM = "grounding_encoder.sam2_model."


def make_model(seed=0, tie=True, vocab=600, **vision_overrides):
    """The tiny configuration with random values in every tensor (buffers included)."""
    torch.manual_seed(seed)
    cfg = get_config("tiny").with_vocab(vocab)
    cfg.extra.pop("direct_mask_head")  # the release's decoder is SAM2's alone
    cfg.internvl["vision_config"].update(vision_overrides)
    cfg.internvl["tie_word_embeddings"] = cfg.internvl["text_config"]["tie_word_embeddings"] = tie
    model = TerraScopeModel(cfg).eval()
    with torch.no_grad():
        for tensor in model.state_dict().values():
            tensor.copy_(torch.randn_like(tensor))
        g = model.grounding  # the release stores SAM2's Fourier matrix once
        g.shared_image_embedding.positional_embedding.copy_(g.prompt_encoder.shared_embedding.positional_embedding)
    return model


VARIANTS = {
    "tiny": {},
    "qkv-bias+qk-norm+rms": dict(attention_bias=True, use_qk_norm=True, norm_type="rms_norm"),
    "untied-lm": dict(tie=False),
}


@pytest.fixture(params=list(VARIANTS))
def variant(request):
    return VARIANTS[request.param]


def assert_same(actual: dict, expected: dict):
    assert sorted(actual) == sorted(expected)
    for key, tensor in expected.items():
        assert actual[key].dtype == tensor.dtype and actual[key].shape == tensor.shape, key
        assert torch.equal(actual[key], tensor), key


def test_round_trip_every_tensor(variant):
    sd = make_model(**variant).state_dict()
    back = release_to_ours(ours_to_release(sd), vision_heads=VISION_HEADS)
    assert_same(back, sd)
    fresh = make_model(seed=1, **variant)
    fresh.load_state_dict(back, strict=True)
    assert_same(fresh.state_dict(), sd)


def test_round_trip_through_safetensors(variant, tmp_path):
    sd = make_model(**variant).state_dict()
    save_file(ours_to_release(sd), tmp_path / "model.safetensors")
    assert_same(release_to_ours(load_file(tmp_path / "model.safetensors"), vision_heads=VISION_HEADS), sd)


def test_ties():
    tied = ours_to_release(make_model().state_dict())
    assert "language_model.lm_head.weight" not in tied
    back = release_to_ours(tied, vision_heads=VISION_HEADS)
    assert back["vlm.lm_head.weight"] is back["vlm.model.language_model.embed_tokens.weight"]
    assert back["grounding.shared_image_embedding.positional_embedding"] is \
        back["grounding.prompt_encoder.shared_embedding.positional_embedding"]
    untied = ours_to_release(make_model(tie=False).state_dict())
    assert "language_model.lm_head.weight" in untied


RELEASE_NAMES = {
    "vision_model.embeddings.class_embedding": (1, 1, 96),
    "vision_model.embeddings.patch_embedding.weight": (96, 3, 8, 8),
    "vision_model.embeddings.position_embedding": (1, 65, 96),
    "vision_model.encoder.layers.0.attn.qkv.weight": (288, 96),
    "vision_model.encoder.layers.0.attn.proj.bias": (96,),
    "vision_model.encoder.layers.0.ls1": (96,),
    "vision_model.encoder.layers.1.ls2": (96,),
    "vision_model.encoder.layers.0.norm1.weight": (96,),
    "vision_model.encoder.layers.1.norm2.bias": (96,),
    "vision_model.encoder.layers.1.mlp.fc1.weight": (256, 96),
    "vision_model.encoder.layers.1.mlp.fc2.bias": (96,),
    "mlp1.0.weight": (384,),
    "mlp1.1.weight": (128, 384),
    "mlp1.3.bias": (128,),
    "language_model.model.embed_tokens.weight": (600, 128),
    "language_model.model.layers.0.self_attn.q_proj.weight": (128, 128),
    "language_model.model.layers.0.self_attn.k_proj.bias": (64,),
    "language_model.model.layers.3.self_attn.o_proj.weight": (128, 128),
    "language_model.model.layers.3.mlp.gate_proj.weight": (384, 128),
    "language_model.model.layers.3.mlp.down_proj.weight": (128, 384),
    "language_model.model.layers.2.input_layernorm.weight": (128,),
    "language_model.model.layers.2.post_attention_layernorm.weight": (128,),
    "language_model.model.norm.weight": (128,),
    SAM + "image_encoder.trunk.patch_embed.proj.weight": (32, 3, 7, 7),
    SAM + "image_encoder.trunk.pos_embed": (1, 32, 4, 4),
    SAM + "image_encoder.trunk.pos_embed_window": (1, 32, 8, 8),
    SAM + "image_encoder.trunk.blocks.0.attn.qkv.weight": (96, 32),
    SAM + "image_encoder.trunk.blocks.0.attn.proj.weight": (32, 32),
    SAM + "image_encoder.trunk.blocks.0.norm1.weight": (32,),
    SAM + "image_encoder.trunk.blocks.0.norm2.bias": (32,),
    SAM + "image_encoder.trunk.blocks.0.mlp.layers.0.weight": (128, 32),
    SAM + "image_encoder.trunk.blocks.0.mlp.layers.1.bias": (32,),
    SAM + "image_encoder.trunk.blocks.1.proj.weight": (64, 32),
    SAM + "image_encoder.neck.convs.0.conv.weight": (64, 256, 1, 1),
    SAM + "image_encoder.neck.convs.3.conv.bias": (64,),
    SAM + "sam_prompt_encoder.pe_layer.positional_encoding_gaussian_matrix": (2, 32),
    SAM + "sam_prompt_encoder.point_embeddings.0.weight": (1, 64),
    SAM + "sam_prompt_encoder.point_embeddings.3.weight": (1, 64),
    SAM + "sam_prompt_encoder.not_a_point_embed.weight": (1, 64),
    SAM + "sam_prompt_encoder.no_mask_embed.weight": (1, 64),
    SAM + "sam_prompt_encoder.mask_downscaling.0.weight": (4, 1, 2, 2),
    SAM + "sam_prompt_encoder.mask_downscaling.1.weight": (4,),
    SAM + "sam_prompt_encoder.mask_downscaling.4.bias": (16,),
    SAM + "sam_prompt_encoder.mask_downscaling.6.weight": (64, 16, 1, 1),
    SAM + "sam_mask_decoder.iou_token.weight": (1, 64),
    SAM + "sam_mask_decoder.mask_tokens.weight": (4, 64),
    SAM + "sam_mask_decoder.obj_score_token.weight": (1, 64),
    SAM + "sam_mask_decoder.transformer.layers.0.self_attn.q_proj.weight": (64, 64),
    SAM + "sam_mask_decoder.transformer.layers.0.self_attn.out_proj.weight": (64, 64),
    SAM + "sam_mask_decoder.transformer.layers.1.cross_attn_token_to_image.k_proj.weight": (32, 64),
    SAM + "sam_mask_decoder.transformer.layers.1.cross_attn_image_to_token.out_proj.bias": (64,),
    SAM + "sam_mask_decoder.transformer.layers.0.norm1.weight": (64,),
    SAM + "sam_mask_decoder.transformer.layers.1.norm4.bias": (64,),
    SAM + "sam_mask_decoder.transformer.layers.0.mlp.layers.0.weight": (256, 64),
    SAM + "sam_mask_decoder.transformer.layers.0.mlp.layers.1.weight": (64, 256),
    SAM + "sam_mask_decoder.transformer.final_attn_token_to_image.v_proj.weight": (32, 64),
    SAM + "sam_mask_decoder.transformer.final_attn_token_to_image.out_proj.weight": (64, 32),
    SAM + "sam_mask_decoder.transformer.norm_final_attn.weight": (64,),
    SAM + "sam_mask_decoder.output_upscaling.0.weight": (64, 16, 2, 2),
    SAM + "sam_mask_decoder.output_upscaling.1.weight": (16,),
    SAM + "sam_mask_decoder.output_upscaling.3.weight": (16, 8, 2, 2),
    SAM + "sam_mask_decoder.conv_s0.weight": (8, 64, 1, 1),
    SAM + "sam_mask_decoder.conv_s1.bias": (16,),
    SAM + "sam_mask_decoder.output_hypernetworks_mlps.0.layers.0.weight": (64, 64),
    SAM + "sam_mask_decoder.output_hypernetworks_mlps.3.layers.1.weight": (64, 64),
    SAM + "sam_mask_decoder.output_hypernetworks_mlps.3.layers.2.weight": (8, 64),
    SAM + "sam_mask_decoder.iou_prediction_head.layers.2.weight": (4, 64),
    SAM + "sam_mask_decoder.pred_obj_score_head.layers.2.bias": (1,),
    SAM + "no_mem_embed": (1, 1, 64),
    "text_hidden_fcs.0.weight": (128, 128),
    "text_hidden_fcs.2.bias": (64,),
}


def test_release_names_match_original_sources():
    release = ours_to_release(make_model().state_dict())
    shapes = {key: tuple(tensor.shape) for key, tensor in release.items()}
    assert {key: shapes.get(key) for key in RELEASE_NAMES} == RELEASE_NAMES
    tops = ("vision_model.", "mlp1.", "language_model.model.", SAM + "image_encoder.",
            SAM + "sam_prompt_encoder.", SAM + "sam_mask_decoder.", "text_hidden_fcs.")
    assert [k for k in release if not k.startswith(tops) and k != SAM + "no_mem_embed"] == []


def test_each_key_matches_exactly_one_rule():
    release = ours_to_release(make_model(**VARIANTS["qkv-bias+qk-norm+rms"]).state_dict())
    ours = make_model(**VARIANTS["qkv-bias+qk-norm+rms"]).state_dict()
    for side, keys in ((0, release), (1, ours)):
        for key in keys:
            hits = [rule[side].text for rule in _RENAMES if rule[side].match(key)]
            assert len(hits) <= 1, (key, hits)


def test_qkv_split_matches_internvit_attention():
    """Original InternAttention: qkv(x).reshape(B, N, 3, heads, head_dim) -> q, k, v."""
    model = make_model(**VARIANTS["qkv-bias+qk-norm+rms"])
    release = ours_to_release(model.state_dict())
    prefix = "vision_model.encoder.layers.0.attn."
    x = torch.randn(2, 7, 96)
    b, n, c = x.shape
    qkv = nn.functional.linear(x, release[prefix + "qkv.weight"], release[prefix + "qkv.bias"])
    q, k, v = qkv.reshape(b, n, 3, VISION_HEADS, c // VISION_HEADS).permute(2, 0, 3, 1, 4).unbind(0)

    def rms(t, weight):
        flat = t.transpose(1, 2).flatten(-2)
        flat = flat * torch.rsqrt(flat.pow(2).mean(-1, keepdim=True) + 1e-6) * weight
        return flat.view(b, n, VISION_HEADS, -1).transpose(1, 2)

    q, k = rms(q, release[prefix + "q_norm.weight"]), rms(k, release[prefix + "k_norm.weight"])
    attn = ((q * (c // VISION_HEADS) ** -0.5) @ k.transpose(-2, -1)).softmax(-1)
    out = (attn @ v).transpose(1, 2).reshape(b, n, c)
    expected = nn.functional.linear(out, release[prefix + "proj.weight"], release[prefix + "proj.bias"])
    with torch.no_grad():
        actual = model.vlm.model.vision_tower.encoder.layer[0].attention(x)[0]
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)


def test_point_embeddings_keep_label_order():
    model = make_model()
    release = ours_to_release(model.state_dict())
    table = model.grounding.prompt_encoder.point_embed
    for label in range(4):
        row = table(torch.tensor([label]))
        assert torch.equal(release[f"{SAM}sam_prompt_encoder.point_embeddings.{label}.weight"], row.detach())


UNUSED = [
    SAM + "memory_attention.layers.0.self_attn.q_proj.weight",
    SAM + "memory_encoder.fuser.layers.0.g_weight",
    SAM + "memory_encoder.mask_downsampler.encoder.0.weight",
    SAM + "mask_downsample.weight",
    SAM + "maskmem_tpos_enc",
    SAM + "no_mem_pos_enc",
    SAM + "no_obj_ptr",
    SAM + "no_obj_embed_spatial",
    SAM + "obj_ptr_proj.layers.0.weight",
    SAM + "obj_ptr_tpos_proj.weight",
]


def test_unused_release_keys_are_listed_not_mixed_in():
    sd = make_model().state_dict()
    release = ours_to_release(sd)
    release.update({key: torch.zeros(1) for key in UNUSED})
    assert unused_release_keys(release) == sorted(UNUSED)
    assert_same(release_to_ours(release, vision_heads=VISION_HEADS), sd)


@pytest.mark.parametrize("bad", [
    "vision_model.encoder.layers.0.attn.qkv.lora_A.weight",
    "language_model.base_model.model.model.layers.0.self_attn.q_proj.weight",
    SAM + "sam_mask_decoder.transformer.layers.0.self_attn.out_proj.scale",
    SAM + "image_encoder.trunk.blocks.0.attn.qkv.weight.extra",
    "grounding_encoder.foo",
])
def test_unknown_release_key_raises(bad):
    release = ours_to_release(make_model().state_dict())
    release[bad] = torch.zeros(1)
    with pytest.raises(KeyError, match="no mapping rule.*" + bad.replace(".", r"\.")):
        release_to_ours(release, vision_heads=VISION_HEADS)


def test_a_final_vision_layernorm_has_no_release_counterpart():
    """use_mean_pooling=False adds vision_tower.layernorm, which InternViT does not have."""
    sd = make_model(use_mean_pooling=False).state_dict()
    with pytest.raises(KeyError, match=r"vlm\.model\.vision_tower\.layernorm\.bias"):
        ours_to_release(sd)


def test_untied_copy_of_gaussian_matrix_raises():
    model = make_model()
    with torch.no_grad():
        model.grounding.shared_image_embedding.positional_embedding.add_(1)
    with pytest.raises(ValueError, match="stores this tensor once"):
        ours_to_release(model.state_dict())


def test_qkv_layout_is_checked_against_heads():
    release = ours_to_release(make_model().state_dict())
    with pytest.raises(ValueError, match="3 x 5 heads"):
        release_to_ours(release, vision_heads=5)


def test_load_release_from_a_sharded_folder(tokenizer, tmp_path):
    """What a user passes: a local folder of safetensors shards + index + tokenizer files."""
    model = make_model(vocab=len(tokenizer))
    release = ours_to_release(model.state_dict())
    keys = sorted(release)
    half = len(keys) // 2
    shards = {"model-00001-of-00002.safetensors": keys[:half], "model-00002-of-00002.safetensors": keys[half:]}
    for name, names in shards.items():
        save_file({k: release[k].contiguous() for k in names}, str(tmp_path / name))
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps(
        {"weight_map": {k: name for name, names in shards.items() for k in names}}))
    tokenizer.save_pretrained(str(tmp_path))
    loaded, tok = load_release(tmp_path, config_name="tiny")
    assert_same(loaded.state_dict(), model.state_dict())
    assert tok.convert_tokens_to_ids("[SEG]") == tokenizer.convert_tokens_to_ids("[SEG]")


def test_load_release_refuses_pickles_and_wrong_shapes(tokenizer, tmp_path):
    (tmp_path / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(CheckpointError, match="no safetensors"):
        load_release(tmp_path, config_name="tiny")
    release = ours_to_release(make_model(vocab=len(tokenizer)).state_dict())
    release["mlp1.1.weight"] = torch.zeros(7, 7)
    save_file({k: v.contiguous() for k, v in release.items()}, str(tmp_path / "model.safetensors"))
    tokenizer.save_pretrained(str(tmp_path))
    with pytest.raises(CheckpointError, match="does not fit the 'tiny' configuration"):
        load_release(tmp_path, config_name="tiny")
