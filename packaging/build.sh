#!/usr/bin/env bash
# Build the desktop app with PyInstaller and check it.
#   packaging/build.sh            one folder: dist/boutique-book/boutique-book
#   packaging/build.sh --onefile  one file:   dist/boutique-book-onefile
#   packaging/build.sh --no-check skip the self-test of the built app
# Needs the project installed (pip install -e .). Works offline once pyinstaller is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
spec=packaging/boutique-book.spec
exe=dist/boutique-book/boutique-book
check=1
for arg in "$@"; do
  case "$arg" in
    --onefile) spec=packaging/boutique-book-onefile.spec; exe=dist/boutique-book-onefile ;;
    --no-check) check=0 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
python -m pip install -q --disable-pip-version-check "pyinstaller>=6"
python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller "$spec"
if [ "$check" = 1 ]; then
  QT_QPA_PLATFORM=offscreen "$exe" --self-test
fi
du -sh "$(dirname "$exe")" 2>/dev/null || true
