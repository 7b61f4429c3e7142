"""Catalogs are complete and well-formed, and the interface marks every visible string.

- every message the code marks (extracted now, with the same map as tools/i18n.py) is in every catalog,
  translated, not fuzzy, and keeps the same {placeholders};
- no string literal reaches a Qt text setter or widget constructor in src/boutique_book/ui/ unmarked.
When this fails after adding strings: `python tools/i18n.py refresh`, translate, `python tools/i18n.py check`.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "src" / "boutique_book" / "ui"


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _tool()


@pytest.fixture(scope="module")
def template():
    return tool.extract()


@pytest.mark.parametrize("language", tool.LANGUAGES)
def test_catalog_complete_and_well_formed(language, template):
    path = tool.po_path(language)
    assert path.exists(), f"no catalog {path}"
    catalog = tool.read(path, language)
    assert len(template) > 100  # extraction really found the code's messages
    problems = tool.problems(catalog, template)
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems; run python tools/i18n.py refresh)"


def test_glossary_terms_are_used_consistently():
    """The three tiers and "shared moment" read the same everywhere (docs/i18n.md, glossary)."""
    tiers = {"fr": ("Famille", "Amis", "Connaissances"), "de": ("Familie", "Freunde", "Bekannte"),
             "it": ("Famiglia", "Amici", "Conoscenti"), "es": ("Familia", "Amigos", "Conocidos"),
             "ja": ("家族", "友人", "知人")}
    # word stems, so that plurals and German/Italian endings still match
    shared = {"fr": ("moment", "partagé"), "de": ("geteilte", "moment"), "it": ("moment", "condivis"),
              "es": ("moment", "compartid"), "ja": ("共有の思い出",)}
    for language in tool.LANGUAGES:
        catalog = tool.read(tool.po_path(language), language)
        for english, expected in zip(("Family", "Friends", "Acquaintances"), tiers[language]):
            assert catalog.get(english).string == expected
        for message in catalog:
            if isinstance(message.id, str) and "shared moment" in message.id.lower() and message.string:
                text = message.string.lower()
                assert all(stem in text for stem in shared[language]), (language, message.id, message.string)


def test_placeholder_check_catches_broken_translations():
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="fr")
    catalog.add("Delete {name}?", "Supprimer {nom} ?")
    catalog.add("{n} people", "{n} personnes")
    catalog.add("Find", "")
    problems = tool.problems(catalog)
    assert any("placeholders" in p and "Delete" in p for p in problems)
    assert any("untranslated" in p and "Find" in p for p in problems)
    assert not any("placeholders" in p and "people" in p for p in problems)


# -- unmarked strings in the interface ------------------------------------------------------------------------
TEXT_METHODS = {
    "setText", "setWindowTitle", "setPlaceholderText", "setToolTip", "setStatusTip", "setWhatsThis", "setTitle",
    "addItem", "addItems", "insertItem", "addMenu", "addTab", "insertTab", "setTabText", "setHeaderLabels",
    "setHorizontalHeaderLabels", "showMessage", "setLabelText", "setInformativeText", "setDetailedText",
    "setWindowIconText", "setPrefix", "setSuffix", "setSpecialValueText", "setButtonText", "addButton",
    "setHtml", "setPlainText", "setAccessibleName", "setAccessibleDescription", "setFormat", "addRow",
    "setTabToolTip", "setItemText", "setNameFilter",
    "information", "warning", "question", "critical", "about", "getText", "getItem", "getInt",
    "getOpenFileName", "getSaveFileName", "getExistingDirectory",
}
TEXT_CONSTRUCTORS = {
    "QLabel", "QPushButton", "QToolButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QMenu",
    "QMessageBox", "QCommandLinkButton", "QListWidgetItem", "QTreeWidgetItem", "QTableWidgetItem",
}
MESSAGE_BOX_ONLY = {"information", "warning", "question", "critical", "about"}
DATA_AFTER_TEXT = {"addItem", "insertItem", "setItemText"}
SHORTCUT = re.compile(r"^(?:(?:Ctrl|Alt|Shift|Meta|Strg)\+)*(?:[A-Z0-9]|F\d{1,2}|Esc|Enter|Return|Del|Delete|"
                      r"Tab|Space|Up|Down|Left|Right|Home|End|PgUp|PgDown|/)$")
ALLOWED = {"Boutique Book", "OK", "PDF", "CSV", "vCard", "HQ", "SMS"}  # names and words that are the same everywhere


def needs_translation(text: str) -> bool:
    """A literal a person reads: has words, is not a shortcut, a format, markup, an object name or a code."""
    text = re.sub(r"<[^>]*>|&[a-z]+;|&#\d+;", " ", text)  # markup is not prose
    text = re.sub(r"\{[^{}]*\}", " ", text)  # format fields
    stripped = text.strip()
    if not stripped or stripped in ALLOWED or SHORTCUT.match(stripped):
        return False
    if re.fullmatch(r"[\w.\-]+", stripped) and ("_" in stripped or stripped.islower() and len(stripped) < 3):
        return False  # object names / codes such as "fieldError_", "x"
    if re.fullmatch(r"[*.\w\s()]*\(\*\.[\w*]+\)", stripped):
        return False
    if re.fullmatch(r"[\w.\-]+\.(?:ics|csv|pdf|vcf|json|txt|vault|pub|key|zip)", stripped):
        return False  # a default file name
    if re.fullmatch(r"[A-Za-z]{2,3}(?:, ?[A-Za-z]{2,3})*(?:…|\.\.\.)?", stripped):
        return False  # examples of codes: "fr, de, ja…", "FR, IT, JP…"
    return bool(re.search(r"[^\W\d_]{2,}", stripped))


def _marked(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"_", "ngettext", "N_"}


def _literals(node: ast.AST):
    """String literals that reach the call as text (not inside a _() call)."""
    if _marked(node):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield "".join(v.value if isinstance(v, ast.Constant) else "{x}" for v in node.values)
    elif isinstance(node, ast.BinOp):
        yield from _literals(node.left)
        yield from _literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        yield from _literals(node.func.value)


def unmarked_strings(source: str, filename: str = "<string>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in TEXT_METHODS and name not in TEXT_CONSTRUCTORS:
            continue
        if name in MESSAGE_BOX_ONLY and not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                                             and func.value.id in ("QMessageBox", "QInputDialog", "QFileDialog")):
            continue  # log.warning("...") is for the log, not for people
        args = list(node.args)
        if name in DATA_AFTER_TEXT:  # addItem(text, data) / addItem(icon, text, data): only the text
            texts = [i for i, a in enumerate(args) if _marked(a) or list(_literals(a)) or isinstance(a, ast.Name)]
            args = args[texts[0]:texts[0] + 1] if texts else []
        for arg in args + [k.value for k in node.keywords if k.arg in (None, "text", "title")]:
            for text in _literals(arg):
                if needs_translation(text):
                    found.append(f"{filename}:{node.lineno}: {name}({text!r})")
    return found


def test_scanner_catches_unmarked_strings():
    source = '''
label = QLabel("Hello there")
button.setText(f"Save {name} now")
box.addItem(_("Fine"), "fine_code")
box.addItem("Coarse", "coarse")
act = QAction(_("Quit"), self)
QMessageBox.warning(self, APP_NAME, "Something broke")
log.warning("background check failed")
QFileDialog.getSaveFileName(self, _("Save"), "agenda.ics")
label.setObjectName("fieldError")
edit.setPlaceholderText("fr, de, ja…")
title.setText(f"<h2>{APP_NAME}</h2>")
short = QKeySequence("Ctrl+M")
hint.setText("Ctrl+M")
'''
    found = unmarked_strings(source)
    assert any("Hello there" in line for line in found)
    assert any("Save {x} now" in line for line in found)
    assert any("Something broke" in line for line in found)
    assert not any("fr, de, ja" in line for line in found)  # codes read the same in every language
    assert not any("Fine" in line or "Quit" in line or "APP_NAME" in line or "Ctrl+M" in line for line in found)
    assert any("Coarse" in line for line in found) and not any("'coarse'" in line for line in found)
    assert len(found) == 4


def test_ui_marks_every_visible_string():
    found = []
    for path in sorted(UI.glob("*.py")):
        found += unmarked_strings(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "unmarked user-visible strings (wrap them in _()):\n" + "\n".join(found)
