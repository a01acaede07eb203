# Set-up and checks for rbm_diffusion. Two commands do everything on a fresh machine:
#   make demo   create .venv, install the package, run `rbm-diffusion demo`
#   make test   also install the dev tools; check notebooks; nbdev_test; pytest
VENV  ?= .venv
PY    := $(VENV)/bin/python
TORCH ?= torch==2.13.0
BIN   := $(VENV)/bin

.PHONY: demo test check export outputs readme clean

$(VENV)/.installed: setup.py settings.ini
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "$(TORCH)"
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/rbm-diffusion demo --out demo_out

# Fails when nbdev_export or nbdev_clean would change anything: the package must be what the
# notebooks export, and the notebooks must be committed clean.
check: $(VENV)/.dev
	@before="$$(git status --porcelain; git diff | sha1sum)"; \
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean; \
	after="$$(git status --porcelain; git diff | sha1sum)"; \
	if [ "$$before" != "$$after" ]; then \
	  echo "nbdev_export / nbdev_clean changed files: export and clean the notebooks, then commit."; \
	  git status --short; exit 1; fi
	$(PY) scripts/readme.py --check

test: check
	$(BIN)/nbdev_test --n_workers 2
	$(PY) -m pytest -q tests

export: $(VENV)/.dev
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && $(PY) scripts/readme.py

# Execute every notebook in place (full size) so that figures are saved for the docs.
outputs: $(VENV)/.dev
	$(PY) scripts/run_nbs.py && $(BIN)/nbdev_clean

readme:
	python3 scripts/readme.py

clean:
	rm -rf $(VENV) demo_out _proc _docs
