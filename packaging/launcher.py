"""Entry script of the frozen app (PyInstaller): the same main() as the `boutique-book` console script."""

import sys

from boutique_book.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
