"""The design system, in one place: a quiet look for a luxury store (warm neutrals, generous spacing, one accent).

- TYPE: the type scale (px) — caption, body, title, display; nothing else in the app sets a font size.
- SPACE: the spacing steps (px) used by the stylesheet and by layouts (`space("m")`).
- LIGHT / DARK: the two palettes; `dark` follows the system colour scheme (Qt 6.5+), light otherwise.
  Each holds the tier colours, the selection colours (a warm beige, never the platform's default blue) and the
  focus ring.
- `apply_theme(app)`: palette + stylesheet + `BoutiqueStyle` (a proxy over Fusion) that serves the app's own
  SVG icons for every standard icon a dialog or message box asks for, and keeps dialog buttons text-only, so no
  platform stock icon (floppy disk, red X, green tick) appears beside our flat buttons.
- `tier_qcolours()` / `on_theme_change(callback)`: the tier colours as QColors of the palette in use, and a way
  for a model to refresh what it caches when `apply_theme` switches light/dark (the contact list's tier mark).
- `icon(name)`: one icon of the set in resources/icons/, recoloured to the palette's ink and rendered at
  several device-pixel sizes (crisp at 100 %, 150 %, 200 %).

Widgets pick their look by objectName (`muted`, `warning`, `fieldError`, `demoBanner`, `sectionTitle`, ...),
never by an inline colour, so the dark variant and any later change happen here only.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

TYPE = {"caption": 12, "body": 14, "title": 17, "display": 24}
SPACE = {"xs": 4, "s": 8, "m": 12, "l": 16, "xl": 24}

LIGHT = {
    "name": "light",
    "window": "#faf8f5", "surface": "#ffffff", "surface_alt": "#fbf9f6", "raised": "#f3efe9",
    "ink": "#2b2622", "muted": "#8a8178", "heading": "#6d655c", "border": "#e6dfd6", "field_border": "#d9d1c7",
    "accent": "#a88a5c", "focus": "#a88a5c", "selection": "#efe4d2", "selection_ink": "#2b2622",
    "text_selection": "#e9dcc7", "default_button": "#2b2622", "default_button_ink": "#faf8f5",
    "disabled": "#b8b0a6", "warning": "#8a5d00", "error": "#a12c2c", "link": "#7a5c2e",
    "banner": "#f3e7c9", "banner_ink": "#5c4a1e", "editor": "#fffdf9", "editor_border": "#e0cfae",
    "icon": "#4b3655",
    "tier_family": "#8c3b4a", "tier_friends": "#7a5c2e", "tier_acquaintances": "#5f6b73",
}
DARK = {
    "name": "dark",
    "window": "#1f1b18", "surface": "#28231f", "surface_alt": "#2d2824", "raised": "#302a25",
    "ink": "#ece4da", "muted": "#a39a90", "heading": "#c2b6a8", "border": "#3d3630", "field_border": "#4a423a",
    "accent": "#c9a978", "focus": "#c9a978", "selection": "#4a3f31", "selection_ink": "#f6efe5",
    "text_selection": "#5a4a35", "default_button": "#e8dccb", "default_button_ink": "#1f1b18",
    "disabled": "#6c645c", "warning": "#e0b45a", "error": "#e58a8a", "link": "#d8b98a",
    "banner": "#3e3424", "banner_ink": "#f0dcb4", "editor": "#2a2521", "editor_border": "#5a4a35",
    "icon": "#e0d3e6",
    "tier_family": "#e0909c", "tier_friends": "#d8b98a", "tier_acquaintances": "#a9b5bd",
}

_current = LIGHT


def space(step: str) -> int:
    return SPACE[step]


def palette_colours() -> dict:
    """The palette in use (LIGHT or DARK)."""
    return _current


def tier_colour(tier: str) -> str:
    return _current.get(f"tier_{tier}", _current["muted"])


TIERS = ("family", "friends", "acquaintances")
_tier_qcolours: dict[str, dict] = {}
_theme_listeners: list = []  # weak references to callables told after every apply_theme


def tier_qcolours() -> dict:
    """{tier: QColor} of the palette in use, plus `None` for an unknown tier (the muted ink); built once per
    palette, so a model can keep the dict and look a colour up without touching the palette per call."""
    name = _current["name"]
    if name not in _tier_qcolours:
        colours = {tier: QColor(tier_colour(tier)) for tier in TIERS}
        colours[None] = QColor(_current["muted"])
        _tier_qcolours[name] = colours
    return _tier_qcolours[name]


def on_theme_change(callback) -> None:
    """Call `callback()` after every `apply_theme`. Held weakly: a listener whose object is gone is dropped."""
    ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else weakref.ref(callback)
    _theme_listeners.append(ref)


def _tell_listeners() -> None:
    for ref in list(_theme_listeners):
        callback = ref()
        if callback is None:
            _theme_listeners.remove(ref)
            continue
        try:
            callback()
        except RuntimeError:  # the Qt object behind a Python wrapper was deleted
            _theme_listeners.remove(ref)


def build_stylesheet(p: dict) -> str:
    t, s = TYPE, SPACE
    return f"""
QWidget {{ font-size: {t['body']}px; color: {p['ink']}; }}
QMainWindow, QDialog, QStackedWidget > QWidget {{ background: {p['window']}; }}
QFrame#panel {{ background: {p['surface']}; border: 1px solid {p['border']}; border-radius: 10px;
    padding: {s['xl']}px; }}
QLabel#brand {{ font-family: Georgia, serif; font-size: {t['display']}px; color: {p['ink']}; }}
QLabel#sectionTitle {{ font-size: {t['title']}px; color: {p['heading']}; }}
QLabel#muted {{ color: {p['muted']}; }}
QLabel#warning, QLabel[attention="true"] {{ color: {p['warning']}; }}
QLabel#fieldError, QLabel#error, QLabel#boutiqueError {{ color: {p['error']}; font-size: {t['caption']}px; }}
QLabel#editorTitle {{ color: {p['heading']}; }}
QLabel#demoBanner {{ background: {p['banner']}; color: {p['banner_ink']}; padding: {s['xs'] + 2}px {s['m'] - 2}px;
    border-radius: 4px; }}
QLabel#commonGround {{ color: {p['link']}; padding: 2px 2px {s['xs']}px 2px; }}
QGroupBox {{ border: 1px solid {p['border']}; border-radius: 8px; margin-top: {s['l']}px;
    padding: {s['m']}px {s['s']}px {s['s']}px {s['s']}px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: {s['s']}px; padding: 0 {s['xs']}px; color: {p['heading']}; }}
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QDateEdit, QSpinBox {{ background: {p['surface']};
    border: 1px solid {p['field_border']}; border-radius: 6px; padding: 5px 8px;
    selection-background-color: {p['text_selection']}; selection-color: {p['selection_ink']}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus, QDateEdit:focus, QSpinBox:focus {{
    border: 1px solid {p['focus']}; }}
QComboBox QAbstractItemView {{ background: {p['surface']}; selection-background-color: {p['selection']};
    selection-color: {p['selection_ink']}; outline: none; }}
QLineEdit#search {{ font-size: {t['title']}px; padding: {s['s']}px {s['m']}px; }}
QLineEdit[invalid="true"] {{ border: 1px solid {p['error']}; }}
QPushButton {{ background: {p['surface']}; border: 1px solid {p['field_border']}; border-radius: 6px;
    padding: 6px 14px; }}
QPushButton:hover {{ border-color: {p['accent']}; }}
QPushButton:focus {{ border-color: {p['focus']}; }}
QPushButton:default {{ background: {p['default_button']}; color: {p['default_button_ink']};
    border-color: {p['default_button']}; }}
QPushButton:disabled {{ color: {p['disabled']}; }}
QTableView, QTreeView {{ background: {p['surface']}; alternate-background-color: {p['surface_alt']};
    border: 1px solid {p['border']}; border-radius: 6px; selection-background-color: {p['selection']};
    selection-color: {p['selection_ink']}; }}
QHeaderView::section {{ background: {p['window']}; border: none; border-bottom: 1px solid {p['border']};
    padding: 6px; color: {p['heading']}; font-size: {t['caption']}px; }}
QTextBrowser#card {{ background: {p['surface']}; border: 1px solid {p['border']}; border-radius: 6px;
    padding: 14px; }}
QFrame#momentEditor {{ background: {p['editor']}; border: 1px solid {p['editor_border']}; border-radius: 6px; }}
QStatusBar {{ background: {p['raised']}; }}
QMenuBar {{ background: {p['window']}; }}
QMenuBar::item:selected, QMenu::item:selected {{ background: {p['selection']}; color: {p['selection_ink']}; }}
QMenu {{ background: {p['surface']}; border: 1px solid {p['border']}; }}
QMenu::item {{ padding: 5px 22px 5px 22px; }}
QMenu::item:disabled {{ color: {p['disabled']}; }}
QListWidget {{ background: {p['surface']}; border: 1px solid {p['border']}; border-radius: 6px;
    padding: {s['xs']}px; }}
QListWidget::item {{ padding: 6px; }}
QListWidget::item:selected {{ background: {p['selection']}; color: {p['selection_ink']}; }}
QTabBar::tab:selected {{ color: {p['ink']}; }}
QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
QToolTip {{ background: {p['surface']}; color: {p['ink']}; border: 1px solid {p['border']}; }}
"""


STYLE = build_stylesheet(LIGHT)  # the light sheet, for code that only needs the string


def build_palette(p: dict) -> QPalette:
    pal = QPalette()
    roles = {QPalette.Window: "window", QPalette.WindowText: "ink", QPalette.Base: "surface",
             QPalette.AlternateBase: "surface_alt", QPalette.Text: "ink", QPalette.Button: "surface",
             QPalette.ButtonText: "ink", QPalette.ToolTipBase: "surface", QPalette.ToolTipText: "ink",
             QPalette.Highlight: "selection", QPalette.HighlightedText: "selection_ink",
             QPalette.Link: "link", QPalette.LinkVisited: "link", QPalette.PlaceholderText: "muted",
             QPalette.BrightText: "error", QPalette.Mid: "border", QPalette.Midlight: "raised",
             QPalette.Accent: "accent"}
    for role, key in roles.items():
        pal.setColor(role, QColor(p[key]))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        pal.setColor(QPalette.Disabled, role, QColor(p["disabled"]))
    return pal


# -- icons ----------------------------------------------------------------------------------------------------
_ICON_SIZES = (16, 20, 24, 32, 40, 48, 64)
_icon_cache: dict[tuple[str, str], QIcon] = {}

# every standard icon Qt widgets may ask the style for, answered from the app's own set
STANDARD_ICONS = {
    QStyle.SP_DialogOkButton: "accept", QStyle.SP_DialogApplyButton: "apply", QStyle.SP_DialogYesButton: "accept",
    QStyle.SP_DialogSaveButton: "save", QStyle.SP_DialogCancelButton: "cancel", QStyle.SP_DialogNoButton: "cancel",
    QStyle.SP_DialogCloseButton: "cancel", QStyle.SP_DialogDiscardButton: "delete",
    QStyle.SP_DialogResetButton: "reset", QStyle.SP_DialogHelpButton: "help", QStyle.SP_DialogOpenButton: "open",
    QStyle.SP_DialogYesToAllButton: "accept", QStyle.SP_DialogNoToAllButton: "cancel",
    QStyle.SP_DialogSaveAllButton: "save", QStyle.SP_DialogAbortButton: "cancel",
    QStyle.SP_DialogRetryButton: "reset", QStyle.SP_DialogIgnoreButton: "cancel",
    QStyle.SP_MessageBoxInformation: "info", QStyle.SP_MessageBoxWarning: "warning",
    QStyle.SP_MessageBoxCritical: "error", QStyle.SP_MessageBoxQuestion: "help",
    QStyle.SP_TrashIcon: "delete", QStyle.SP_FileDialogNewFolder: "add", QStyle.SP_DirOpenIcon: "open",
    QStyle.SP_BrowserReload: "reset",
}


def icon(name: str, colour: str | None = None) -> QIcon:
    """An icon of the app's set, in the palette's icon colour, as pixmaps for every usual device size."""
    from .. import package_data

    colour = colour or _current["icon"]
    key = (name, colour)
    if key in _icon_cache:
        return _icon_cache[key]
    from PySide6.QtSvg import QSvgRenderer

    svg = package_data.icon(f"{name}.svg").read_text(encoding="utf-8").replace("#4b3655", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for size in _ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    _icon_cache[key] = result
    return result


class BoutiqueStyle(QProxyStyle):
    """Fusion, with the app's icons for standard pixmaps. Only standardIcon is overridden: a Python override of
    hot virtuals (styleHint, pixelMetric) breaks None's refcount in PySide6 6.12; text-only dialog buttons come
    from the stylesheet (`dialogbuttonbox-buttons-have-icons: 0`)."""

    def standardIcon(self, standard, option=None, widget=None):  # noqa: N802 (Qt API)
        name = STANDARD_ICONS.get(standard)
        if name is not None:
            return icon(name)
        return super().standardIcon(standard, option, widget)


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, dark: bool | None = None) -> dict:
    """Set the palette, the stylesheet and the style; `dark=None` follows the system and keeps following it."""
    global _current
    _current = DARK if (system_is_dark() if dark is None else dark) else LIGHT
    if not isinstance(app.style(), BoutiqueStyle):
        app.setStyle(BoutiqueStyle("Fusion"))
    app.setPalette(build_palette(_current))
    app.setStyleSheet(build_stylesheet(_current))
    _tell_listeners()
    if dark is None and not app.property("boutiqueFollowsScheme"):
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(lambda _scheme: apply_theme(app))
            app.setProperty("boutiqueFollowsScheme", True)
    return _current


# scripts a boutique's book holds (customers' names), and the shipped font that draws them when the system has none
_SCRIPT_FONTS = (("DroidSansFallbackFull.ttf", "日本語", "Japanese"), ("NotoNaskhArabic-Regular.ttf", "عربي", "Arabic"))


def ensure_script_fonts() -> list[str]:
    """Add the app's own CJK and Arabic fonts (the ones printing embeds) when no installed font draws those
    scripts, so names such as 佐藤 never show as empty boxes on a bare system. Returns the families added."""
    from PySide6.QtGui import QFontDatabase

    from .. import package_data

    added = []
    for filename, _sample, system in _SCRIPT_FONTS:
        if QFontDatabase.families(getattr(QFontDatabase.WritingSystem, system)):
            continue  # the system draws it (or we already added ours)
        font_id = QFontDatabase.addApplicationFont(str(package_data.fonts_dir() / filename))
        if font_id >= 0:
            added += QFontDatabase.applicationFontFamilies(font_id)
    return added


def room_for_placeholder(field, extra: int = 28):
    """Give a line edit at least the width of its placeholder (measured once, when the dialog is built), so a
    dialog sizes itself to its hint in every language instead of cutting it ("Why (optional): e.g. th…")."""
    field.ensurePolished()  # the stylesheet's font, not the default one
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance(field.placeholderText()) + extra)
    return field


def icon_size() -> QSize:
    return QSize(16, 16)
