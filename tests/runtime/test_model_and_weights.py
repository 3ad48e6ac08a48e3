"""Model configurations, special tokens looked up from the tokenizer, safetensors folders."""

import json

import pytest
import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer, models
from transformers import PreTrainedTokenizerFast

from model_runtime.model.checkpoint import CheckpointError, load_pretrained, save_pretrained
from model_runtime.model.configs import get_config
from model_runtime.model.terrascope import TerraScopeModel
from model_runtime.model.tokenizer import SpecialTokens, build_tokenizer

from .conftest import CORPUS


def test_tiny_is_a_few_million_parameters(model):
    assert 1_000_000 < model.num_parameters() < 5_000_000
    cfg = model.config
    assert cfg.image_size == (128, 128) and cfg.token_grid == (8, 8) and cfg.tokens_per_image == 64


def test_terrascope_8b_has_the_published_dimensions():
    cfg = get_config("terrascope-8b")
    with torch.device("meta"):
        model = TerraScopeModel(cfg)
    text = model.vlm.config.text_config
    assert (text.hidden_size, text.num_hidden_layers, text.num_attention_heads, text.num_key_value_heads,
            text.vocab_size) == (3584, 28, 28, 4, 151674)
    vision = model.vlm.config.vision_config
    assert (vision.hidden_size, vision.num_hidden_layers, vision.patch_size) == (1024, 24, [14, 14])
    assert cfg.tokens_per_tile_side == 16  # 448 px tile -> 32 patches -> pixel shuffle 0.5
    proj = model.vlm.model.multi_modal_projector
    assert (proj.layer_norm.normalized_shape[0], proj.linear_1.out_features) == (4096, 3584)
    hiera = model.grounding.config.vision_config.backbone_config
    assert hiera.embed_dim_per_stage == [144, 288, 576, 1152] and hiera.blocks_per_stage == [2, 6, 36, 4]
    fcs = model.text_hidden_fcs
    assert (fcs[0].in_features, fcs[0].out_features, fcs[2].out_features) == (3584, 3584, 256)
    assert 8.0e9 < model.num_parameters() < 8.4e9


def test_special_token_ids_come_from_the_tokenizer():
    a = build_tokenizer(CORPUS, vocab_size=300)
    ids = SpecialTokens.from_tokenizer(a)
    assert ids.seg == a.convert_tokens_to_ids("[SEG]")
    assert a.decode([ids.seg, ids.answer_start]) == "[SEG]<answer>"
    assert len(set(vars(ids).values())) == len(vars(ids))  # all distinct
    # a tokenizer without TerraScope's tokens is refused by name
    bare = PreTrainedTokenizerFast(tokenizer_object=Tokenizer(models.WordLevel({"a": 0, "[UNK]": 1}, "[UNK]")),
                                   unk_token="[UNK]")
    with pytest.raises(ValueError, match=r"no '\[SEG\]' token"):
        SpecialTokens.from_tokenizer(bare)


def test_save_and_load_round_trip(model, tokenizer, tmp_path):
    save_pretrained(model, tokenizer, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} >= {"config.json", "model.safetensors", "tokenizer.json"}
    loaded, tok = load_pretrained(tmp_path)
    a, b = model.state_dict(), loaded.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert tok.encode("water [SEG]") == tokenizer.encode("water [SEG]")
    assert json.loads((tmp_path / "config.json").read_text())["name"] == "tiny"


def test_pickled_or_mismatched_weights_are_refused(model, tokenizer, tmp_path):
    save_pretrained(model, tokenizer, tmp_path)
    (tmp_path / "model.safetensors").rename(tmp_path / "pytorch_model.bin")
    with pytest.raises(CheckpointError, match="pickled weights are never loaded"):
        load_pretrained(tmp_path)
    save_file({"text_hidden_fcs.0.weight": torch.zeros(2, 2)}, str(tmp_path / "model.safetensors"))
    with pytest.raises(CheckpointError, match="does not match its config"):
        load_pretrained(tmp_path)
    with pytest.raises(CheckpointError, match="does not exist"):
        load_pretrained(tmp_path / "nowhere")
