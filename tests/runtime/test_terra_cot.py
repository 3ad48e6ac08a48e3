"""Terra-CoT synthesis: every [SEG] has its mask, answers agree with the ground truth."""

import re

import numpy as np
import pytest

from model_runtime.data.scene import generate_scene
from model_runtime.data.tasks import TASKS, NoTask, scene_context
from model_runtime.geo import measure
from model_runtime.reasoning.answer import read_answer


@pytest.fixture(scope="module")
def samples():
    out = []
    for seed in range(25):
        scene = generate_scene(seed, dates=3, pixel_size=10.0 if seed % 2 else 30.0)
        rng = np.random.default_rng(seed)
        for task in TASKS.values():
            for variant in ("optical", "sar", "joint"):
                for mc in (True, False):
                    try:
                        out.append((scene, task(scene, rng, variant, mc=mc)))
                    except NoTask:
                        pass
    return out


def test_every_task_family_is_produced(samples):
    assert {s.task for _, s in samples} == set(TASKS)
    assert {s.level for _, s in samples} == {"L1", "L2"}


def test_every_seg_has_its_mask(samples):
    for scene, s in samples:
        assert s.chain.count("[SEG]") == len(s.masks) >= 1, s.chain
        assert len(re.findall(r"<p>.*?</p>\[SEG\]", s.chain)) == len(s.masks)
        labels = {i: scene.labels[s.images[i]] for i in range(len(s.images))}
        for m in s.masks:
            assert m.resolve(labels).shape == scene.shape


def test_series_chains_name_the_image_of_each_seg(samples):
    for _, s in samples:
        if s.task != "building_change":
            continue
        refs = [int(k) - 1 for k in re.findall(r"Image: t_(\d+) the <p>", s.chain)]
        assert refs == [m.image for m in s.masks]


def test_answers_agree_with_the_ground_truth(samples):
    checked = 0
    for scene, s in samples:
        labels = {i: scene.labels[s.images[i]] for i in range(len(s.images))}
        masks = [m.resolve(labels) for m in s.masks]
        answer, choice, _, _ = read_answer(s.chain, s.choices)
        if s.choices:
            assert choice == s.answer and s.answer in "ABCD"[: len(s.choices)]
            picked = s.choices[ord(choice) - 65]
        else:
            picked = answer
        if s.task == "coverage":
            assert picked.rstrip("%") == str(round(measure.coverage_percent(masks[0])))
        elif s.task == "building_change":
            assert picked == str(measure.count_objects(measure.new_objects(masks[0], masks[1])))
            assert measure.count_objects(masks[2]) == int(picked)
        elif s.task == "boundary":
            touching = measure.shared_boundary_m(masks[0], masks[1], scene.pixel_size) > 0
            assert picked == ("Yes" if touching else "No")
        elif s.task == "distance":
            gap = measure.gap_m(masks[0], masks[1], scene.pixel_size)
            assert abs(float(picked.split()[0]) - gap) <= scene.pixel_size / 2
        else:
            continue
        checked += 1
    assert checked > 50


def test_distractors_are_distinct_and_the_answer_moves(samples):
    letters = [s.answer for _, s in samples if s.choices and len(s.choices) == 4]
    for _, s in samples:
        if s.choices:
            assert len(set(s.choices)) == len(s.choices)
    counts = {letter: letters.count(letter) for letter in "ABCD"}
    assert min(counts.values()) > 0.1 * len(letters)  # the right letter is not stuck in one place


def test_context_line_states_the_geometry():
    scene = generate_scene(3, pixel_size=30.0)
    assert scene_context(scene) == "Scene: 128 x 128 pixels of 30 m (3.84 x 3.84 km, 14.75 km2)."
