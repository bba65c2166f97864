import sys

from pmload.cli import main

sys.exit(main())
