# TerraScope for QGIS. `make test` and `make demo` each set up what they need.
PY_RUNTIME ?= python3
PY_QGIS ?= /usr/bin/python3
RUNTIME_VENV := .venv-runtime
PLUGIN_VENV := .venv-plugin
RT := $(RUNTIME_VENV)/bin/python
QP := $(PLUGIN_VENV)/bin/python
TORCH_SPEC ?= torch==2.13.0
export OMP_NUM_THREADS ?= 2

# A real QGIS window under Xvfb with the plugin and a finished conversation -> docs/screenshot.png
SHOT_PORT := 8799
screenshot: setup-runtime i18n
	$(RUNTIME_VENV)/bin/terrascope-runtime serve --port $(SHOT_PORT) --allow $(CURDIR)/model_runtime/sample_data & \
	pid=$$!; sleep 8; \
	TERRASCOPE_REPO=$(CURDIR) TERRASCOPE_URL=http://127.0.0.1:$(SHOT_PORT) TERRASCOPE_SHOT=$(CURDIR)/docs/screenshot.png \
	xvfb-run -a -s "-screen 0 1600x1000x24" qgis --nologo --noversioncheck --profiles-path $(CURDIR)/build/qgis-profile \
		--code tests/plugin/screenshot_script.py; status=$$?; kill $$pid; exit $$status

.PHONY: setup setup-runtime setup-plugin setup-gpu test test-runtime test-plugin lint bench bench-gpu onnx demo i18n package deploy screenshot clean

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

test-plugin: setup-plugin i18n
	QT_QPA_PLATFORM=offscreen $(QP) -m pytest -q tests/plugin

# Translations: i18n/*.ts (edited with Qt Linguist) compiled to .qm.
QM := $(patsubst %.ts,%.qm,$(wildcard i18n/*.ts))
i18n: $(QM)
i18n/%.qm: i18n/%.ts
	lrelease -silent $< -qm $@

# The zip Plugin Manager installs ("Install from ZIP"), and a copy into a QGIS profile.
PLUGIN_ZIP := dist/terrascope_qgis.zip
QGIS_PROFILE ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default
package: i18n
	rm -rf build/package && mkdir -p build/package/terrascope_qgis/resources build/package/terrascope_qgis/i18n dist
	cp -r terrascope_qgis/*.py terrascope_qgis/ui terrascope_qgis/processing build/package/terrascope_qgis/
	cp metadata.txt LICENSE build/package/terrascope_qgis/
	cp resources/* build/package/terrascope_qgis/resources/
	cp i18n/*.qm build/package/terrascope_qgis/i18n/
	find build/package -name __pycache__ -prune -exec rm -rf {} +
	rm -f $(PLUGIN_ZIP) && cd build/package && python3 -m zipfile -c ../../$(PLUGIN_ZIP) terrascope_qgis
	@echo "wrote $(PLUGIN_ZIP)"
deploy: package
	mkdir -p $(QGIS_PROFILE)/python/plugins
	rm -rf $(QGIS_PROFILE)/python/plugins/terrascope_qgis
	cd $(QGIS_PROFILE)/python/plugins && python3 -m zipfile -e $(CURDIR)/$(PLUGIN_ZIP) .
	@echo "installed into $(QGIS_PROFILE)/python/plugins/terrascope_qgis; enable it in Plugins > Manage"

lint: setup-runtime
	$(RUNTIME_VENV)/bin/ruff check model_runtime terrascope_qgis tests

bench: setup-runtime setup-plugin bench-data
	$(RT) -m model_runtime.bench.speed
	$(RT) -m model_runtime.bench.backends --data $(BENCH_DATA) --onnx build/onnx/default
	$(RT) -m model_runtime.bench.serving
	QT_QPA_PLATFORM=offscreen $(QP) tests/plugin/bench_processing.py

# On a machine with a CUDA GPU (after `make setup-gpu`): 8B timings in bf16 and the tiny model on the
# CUDA execution provider. Without a GPU it says so and exits cleanly.
bench-gpu: setup-runtime
	$(RT) -m model_runtime.bench.gpu

# GPU machines: onnxruntime-gpu (the `gpu` extra) must be the onnxruntime package whose files win,
# and torch must be a CUDA build (TORCH_SPEC / TORCH_INDEX, see the README).
TORCH_INDEX ?= https://download.pytorch.org/whl/cu128
setup-gpu: setup-runtime
	$(RT) -m pip install -q "$(TORCH_SPEC)" --index-url $(TORCH_INDEX)
	$(RT) -m pip install -q -e ".[gpu,dev]"
	$(RT) -m pip install -q --force-reinstall --no-deps onnxruntime-gpu
	$(RT) -c "import onnxruntime, torch; print('torch CUDA:', torch.cuda.is_available(), '| onnxruntime providers:', onnxruntime.get_available_providers())"

# The default model exported for the onnx backend, with its int8-quantised decoder.
onnx: setup-runtime
	$(RUNTIME_VENV)/bin/terrascope-runtime export-onnx --out build/onnx/default --int8

# The main job on the embedded default model: ask about the shipped Landsat 8 sample.
demo: setup-runtime
	$(RUNTIME_VENV)/bin/terrascope-runtime ask --optical model_runtime/sample_data/landsat8_itaipu_rgb_30m.tif \
		--question "What share of this image is water?" --out build/demo
	@echo "wrote build/demo: transcript.md, answer.json, step_*.tif (mask GeoTIFFs), masks.shp"

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
		--name terrascope-tiny --version 0.1.0 --minutes 48 --scenes 2000 --real model_runtime/sample_data/landsat8_itaipu_rgb_30m.tif model_runtime/sample_data/rgbn_5m.tif
	rm -rf model_runtime/default_model && cp -r $(TRAIN_DIR)/default/model model_runtime/default_model

# The text-only chain-of-thought ablation, trained the same way without [SEG].
train-text-only: setup-runtime
	$(RUNTIME_VENV)/bin/terrascope-runtime train --preset text-only --init $(TRAIN_DIR)/init --out $(TRAIN_DIR)/text-only \
		--name terrascope-tiny-text-only --version 0.1.0 --minutes 15 --scenes 2000
.PHONY: train-default train-text-only

# Accuracy on the held-out benchmark: the default model with the inference-time ablations, and the
# text-only chain-of-thought model.
bench-model: bench-data
	$(RUNTIME_VENV)/bin/terrascope-runtime bench --data $(BENCH_DATA) --ablation all \
		--compare text-only-model=$(TRAIN_DIR)/text-only/model --out build/reports/default --quiet
.PHONY: bench-model
