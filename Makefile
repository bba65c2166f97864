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
# Tools the packaging tests call (desktop-file-validate, appstreamcli).
CHECK_DEBS := desktop-file-utils appstream
export QT_QPA_PLATFORM ?= offscreen
# The one version, from pyproject.toml; the bundle's archive is named after it.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n 1)
PLATFORM := $(shell uname -s | tr A-Z a-z)-$(shell uname -m)
BUNDLE := dist/pmload
ARCHIVE := dist/pmload-$(VERSION)-$(PLATFORM).tar.gz

.PHONY: run test lint typecheck pytest bench debs clean screenshots \
	bundle bundle-test dist install-desktop uninstall-desktop

$(STAMP): pyproject.toml constraints.txt
	@$(MAKE) --no-print-directory debs QT_DEBS="$(QT_DEBS) $(CHECK_DEBS)"
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

# The download: dist/pmload/ (pmload and pmload-gui sharing _internal/) and its archive.
bundle: $(STAMP)
	rm -rf $(BUNDLE) $(ARCHIVE)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
	  --distpath dist --workpath build/pyinstaller packaging/pmload.spec
	mkdir -p $(BUNDLE)/share
	cp packaging/io.github.pmload.Pmload.desktop packaging/io.github.pmload.Pmload.metainfo.xml $(BUNDLE)/share/
	cp -r resources/icons $(BUNDLE)/share/
	cp packaging/install-desktop.sh $(BUNDLE)/
	cp LICENSE $(BUNDLE)/
	tar -C dist -czf $(ARCHIVE) pmload
	@du -sh $(BUNDLE) $(ARCHIVE)

# Slow (a minute or two, after `make bundle`): runs the bundle with no .venv on PATH
# and a fresh home, and prints its size and timings next to the venv's.
bundle-test: $(STAMP)
	@$(MAKE) --no-print-directory debs QT_DEBS="$(XCB_DEBS) xvfb xauth"
	test -x $(BUNDLE)/pmload || $(MAKE) --no-print-directory bundle
	bash packaging/bundle_test.sh $(BUNDLE) $(BIN)

# A wheel and an sdist in dist/ (`pipx install dist/pmload-*.whl` gives both commands).
dist: $(STAMP)
	rm -f dist/pmload-*.whl dist/pmload-$(VERSION).tar.gz
	$(BIN)/python -m build --outdir dist .

# The launcher entry, AppStream metadata and icons, into $${XDG_DATA_HOME:-~/.local/share}.
# EXEC=PATH points the entry at another pmload-gui (say, an unpacked bundle's).
EXEC ?= $(abspath $(BIN))/pmload-gui
install-desktop: $(STAMP)
	sh packaging/install-desktop.sh --exec "$(EXEC)"

uninstall-desktop:
	sh packaging/install-desktop.sh --uninstall

clean:
	rm -rf $(VENV) build dist *.egg-info
