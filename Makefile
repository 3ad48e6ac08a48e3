# TerraScope for QGIS. `make test` and `make demo` each set up what they need.
PY_RUNTIME ?= python3
PY_QGIS ?= /usr/bin/python3
RUNTIME_VENV := .venv-runtime
PLUGIN_VENV := .venv-plugin
RT := $(RUNTIME_VENV)/bin/python
QP := $(PLUGIN_VENV)/bin/python
TORCH_SPEC ?= torch==2.13.0
export OMP_NUM_THREADS ?= 2

.PHONY: setup setup-runtime setup-plugin test test-runtime test-plugin lint bench clean

setup: setup-runtime setup-plugin

setup-runtime: $(RUNTIME_VENV)/.done
$(RUNTIME_VENV)/.done: pyproject.toml
	$(PY_RUNTIME) -m venv $(RUNTIME_VENV)
	$(RT) -m pip install -q --upgrade pip
	$(RT) -m pip install -q "$(TORCH_SPEC)"
	$(RT) -m pip install -q -e ".[dev]"
	touch $@

# Debian's python with its QGIS and numpy; pip must not replace numpy here.
setup-plugin: $(PLUGIN_VENV)/.done
$(PLUGIN_VENV)/.done: requirements-plugin.txt
	$(PY_QGIS) -m venv --system-site-packages $(PLUGIN_VENV)
	$(QP) -m pip install -q -r requirements-plugin.txt
	$(QP) -c "import qgis.core, numpy; print('QGIS', qgis.core.Qgis.version(), 'numpy', numpy.__version__)"
	touch $@

test: test-runtime test-plugin

test-runtime: setup-runtime
	$(RT) -m pytest -q tests/runtime

test-plugin: setup-plugin
	QT_QPA_PLATFORM=offscreen $(QP) -m pytest -q tests/plugin

lint: setup-runtime
	$(RUNTIME_VENV)/bin/ruff check model_runtime terrascope_qgis tests

bench: setup-runtime
	$(RT) -m model_runtime.bench.speed

clean:
	rm -rf $(RUNTIME_VENV) $(PLUGIN_VENV) build dist *.egg-info

# The held-out benchmark (660 items, 110 per task), reproducible from its seeds.
BENCH_DATA := build/bench
$(BENCH_DATA)/items.jsonl: | setup-runtime
	$(RUNTIME_VENV)/bin/terrascope-runtime make-bench --out $(BENCH_DATA) --per-task 110
bench-data: $(BENCH_DATA)/items.jsonl
.PHONY: bench-data

# The shipped default model: about 60 minutes on a 2-core CPU.
TRAIN_DIR := build/train
train-default: setup-runtime
	$(RUNTIME_VENV)/bin/terrascope-runtime init-model --out $(TRAIN_DIR)/init
	$(RUNTIME_VENV)/bin/terrascope-runtime train --preset default --init $(TRAIN_DIR)/init --out $(TRAIN_DIR)/default \
		--minutes 55 --scenes 2000 --real model_runtime/sample_data/landsat8_itaipu_rgb_30m.tif model_runtime/sample_data/rgbn_5m.tif
	rm -rf model_runtime/default_model && cp -r $(TRAIN_DIR)/default/model model_runtime/default_model

# The text-only chain-of-thought ablation, trained the same way without [SEG].
train-text-only: setup-runtime
	$(RUNTIME_VENV)/bin/terrascope-runtime train --preset text-only --init $(TRAIN_DIR)/init --out $(TRAIN_DIR)/text-only \
		--minutes 20 --scenes 2000
.PHONY: train-default train-text-only
