# pmload developer entry points. `make run` and `make test` are all a new
# machine needs: they create .venv (reused while pyproject.toml and
# constraints.txt are unchanged), install pinned versions, and go.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QT_DEBS := libegl1 libxkbcommon0 libxkbcommon-x11-0 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 poppler-utils
# What Qt's xcb platform plugin needs to open a real window (make run only).
XCB_DEBS := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint typecheck pytest bench debs clean screenshots

$(STAMP): pyproject.toml constraints.txt
	@$(MAKE) --no-print-directory debs
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Debian libraries Qt needs, installed only when dpkg-query says they are missing.
debs:
	@missing=""; for p in $(QT_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages:$$missing"; \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: missing system libraries:$$missing" >&2; fi; \
	fi

run: $(STAMP)
	@$(MAKE) --no-print-directory debs QT_DEBS="$(XCB_DEBS)"
	QT_QPA_PLATFORM= $(BIN)/pmload-gui

lint: $(STAMP)
	$(BIN)/ruff check pmload ui tests
	$(BIN)/ruff format --check pmload ui tests
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	CI=$${CI:-} $(BIN)/python -m pytest -q -p no:cacheprovider

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m pytest -q -s -p no:cacheprovider tests/perf

# README images: the week view and trends of the bundled sample calendar, at the default size.
screenshots: $(STAMP)
	rm -rf .screenshot-home
	$(BIN)/pmload --home .screenshot-home --tz America/Los_Angeles sample
	$(BIN)/pmload-gui --home .screenshot-home --tz America/Los_Angeles --screenshot docs/screenshots/week.png --view week
	$(BIN)/pmload-gui --home .screenshot-home --tz America/Los_Angeles --screenshot docs/screenshots/trends.png --view trends
	rm -rf .screenshot-home

clean:
	rm -rf $(VENV) build *.egg-info
