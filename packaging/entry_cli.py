"""The bundle's ``pmload`` executable (a PyInstaller entry point); see frozen_boot.py."""

import sys

import frozen_boot

frozen_boot.boot(sys.argv[1:])

from pmload.cli import main  # noqa: E402

sys.exit(main())
