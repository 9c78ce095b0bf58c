"""``python -m bigrad`` is the ``bigrad`` command."""
import sys

from bigrad.cli import main

if __name__ == "__main__":
    sys.exit(main())
