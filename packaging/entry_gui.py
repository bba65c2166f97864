"""The bundle's ``pmload-gui`` executable (a PyInstaller entry point); see frozen_boot.py."""

import sys

import frozen_boot

frozen_boot.boot(sys.argv[1:])

from pmload_ui.app import main  # noqa: E402

sys.exit(main())
