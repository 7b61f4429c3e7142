#!/usr/bin/env python3
"""Translation catalogs of Boutique Book: extract, update, fill, check and compile (Babel's API).

    python tools/i18n.py refresh          # extract -> src/boutique_book/translations/boutique_book.pot, merge into every .po,
                                          # then list what is still untranslated (exit 1 if anything is)
    python tools/i18n.py missing > new.json   # the untranslated msgids of all languages as a JSON skeleton
    python tools/i18n.py fill new.json    # write translations from {msgid: {lang: text | [forms]}} into the .po
    python tools/i18n.py check            # untranslated, fuzzy, or broken {placeholders}: exit 1
    python tools/i18n.py compile          # .po -> .mo next to it (every build does this: src/build_catalogs.py)

The .po files are the source of truth: `fill` only writes messages whose msgstr is empty (unless --force),
`refresh` never guesses (no fuzzy matching) and drops messages the code no longer uses.
English is the source language: there is no en catalog.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "src" / "boutique_book" / "translations"
DOMAIN = "boutique_book"
POT = TRANSLATIONS / f"{DOMAIN}.pot"
LANGUAGES = ("fr", "de", "it", "es", "ja")
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}
PROJECT = "Boutique Book"
HEADER = ("# {language} translation of Boutique Book (source language: English).\n"
          "# Terms: see the glossary in docs/i18n.md. Update with `python tools/i18n.py refresh`.")


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


# -- extraction --------------------------------------------------------------------------------------------
def extract(root: Path = ROOT) -> Catalog:
    """Every marked message in src/ (the same map as translations/babel.cfg)."""
    with open(TRANSLATIONS / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(TRANSLATIONS / "babel.cfg"))
    catalog = Catalog(project=PROJECT, version=_version(), msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    _add_from_ast(catalog, root)
    return catalog


def _add_from_ast(catalog: Catalog, root: Path) -> None:
    """Calls inside f-strings (f"<b>{_('Consent')}</b>"): Python 3.11's tokenizer hands babel the whole
    f-string as one token, so it never sees them. The AST does."""
    import ast

    for path in sorted((root / "src").rglob("*.py")):
        relative = str(path.relative_to(root))
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), relative)
        except SyntaxError as exc:
            raise SystemExit(f"{relative}: {exc}")
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "ngettext" and len(args) >= 2:
                message = (args[0], args[1])
            elif node.func.id != "ngettext" and args and len(node.args) == 1:
                message = args[0]
            else:
                continue
            if message not in catalog:
                catalog.add(message, None, [(relative, node.lineno)])


def _version() -> str:
    text = (ROOT / "src" / "boutique_book" / "__init__.py").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    return ""


def read(path: Path, language: str | None = None) -> Catalog:
    with open(path, "rb") as fh:
        return read_po(fh, locale=language)


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if str(catalog.locale).startswith("fr"):
        for message in catalog:  # French typography is the catalog's business: refresh and fill apply it
            if message.id and message.string:
                message.string = (french_spacing(message.string) if isinstance(message.string, str)
                                  else tuple(french_spacing(form) for form in message.string))
    buffer = io.BytesIO()
    # Sorted, without line numbers: parallel edits of the code do not churn every catalog.
    write_po(buffer, catalog, width=100, sort_output=True, ignore_obsolete=True, include_lineno=False)
    path.write_bytes(buffer.getvalue())


def refresh() -> int:
    template = extract()
    write(POT, template)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = read(path, language)
        else:
            catalog = Catalog(locale=language, project=PROJECT, version=_version(), charset="utf-8", fuzzy=False,
                              header_comment=HEADER.format(language=language),
                              last_translator="Boutique Book team", language_team=f"{language} <none>")
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        write(path, catalog)
    print(f"{POT.relative_to(ROOT)}: {len(template)} messages")
    return check()


# -- checks ------------------------------------------------------------------------------------------------
def placeholders(text: str) -> set[tuple[str, str]]:
    """The str.format fields of a message: {name}, {ms:.0f} -> {("name", ""), ("ms", ".0f")}."""
    found = set()
    try:
        for _literal, field, spec, _conversion in string.Formatter().parse(text):
            if field is not None:
                found.add((field, spec or ""))
    except ValueError:
        found.add(("<unbalanced braces>", text))
    return found


def problems(catalog: Catalog, template: Catalog | None = None) -> list[str]:
    """Human-readable problems of one catalog (empty list when it is complete and well-formed)."""
    found = []
    language = str(catalog.locale)
    if template is not None:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        for message in template:
            key = message.id if isinstance(message.id, str) else (message.id[0] if message.id else "")
            if key and key not in have:
                found.append(f"{language}: missing {key!r}")
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            found.append(f"{language}: fuzzy {key!r}")
        forms = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
        if not all(forms):
            found.append(f"{language}: untranslated {key!r}")
            continue
        if isinstance(message.id, str):
            wanted = [placeholders(message.id)]
        else:
            wanted = [placeholders(message.id[0]), placeholders(message.id[1])]
        for form in forms:
            if placeholders(form) not in wanted:
                found.append(f"{language}: placeholders of {key!r} -> {form!r}")
            if language.startswith("fr"):
                found += [f"{language}: no no-break space before {mark!r} in {form!r} (refresh or fill puts it)"
                          for mark in french_spacing_slips(form)]
        if isinstance(message.id, str) and count_without_plural(message.id):
            found.append(f"{language}: a count shown without plural forms (use ngettext): {key!r}")
    return found


# French typography: a no-break space (U+00A0 or the narrow U+202F) before : ; ! ? -- never an ordinary space
# (the line may break before the mark) and never none ("Courrier: non demandé"). Placeholders, web addresses,
# clock times and machine words that continue after the mark (BEGIN:VCARD, ed25519:, ";;" file filters) are left.
_FR_MARK = re.compile(r"(?P<before>[^\s;:!?(«\"“'’/\[{-])?(?P<space>[ \u00a0\u202f]?)(?P<mark>[:;!?])"
                      r"(?=$|[\s\u00a0\u202f»)\]”\"])")
_MACHINE = re.compile(r"(\{[^}]*\}|https?://\S+|\d+:\d+)")


def french_spacing_slips(text: str) -> list[str]:
    """The marks : ; ! ? in a French text that are not preceded by a no-break space."""
    slips = []
    for part in _MACHINE.split(text):
        if _MACHINE.fullmatch(part or "-"):
            continue
        for m in _FR_MARK.finditer(part):
            if (m.group("before") or m.group("space")) and m.group("space") not in ("\u00a0", "\u202f"):
                slips.append(m.group("mark"))
    return slips


def french_spacing(text: str) -> str:
    """The text with a no-break space before each French : ; ! ? (an ordinary space replaced, a missing one added)."""
    out = []
    for part in _MACHINE.split(text):
        if _MACHINE.fullmatch(part or "-"):
            out.append(part)
            continue
        out.append(_FR_MARK.sub(lambda m: (m.group("before") or "") + (
            "\u00a0" if m.group("before") or m.group("space") else "") + m.group("mark")
            if m.group("space") != "\u202f" else m.group(0), part))
    return "".join(out)


_COUNTED = re.compile(r"\{(n|count|total)\}\s+(?:\w+\s+)?(people|persons|contacts|days|weeks|months|years|moments|pairs|"
                      r"entries|characters|links|follow-ups|prospects|labels|envelopes|documents|lines|cells|phones|"
                      r"emails|addresses|dates|tags|cards|stores)\b|\w\((s|es)\)")


def count_without_plural(msgid: str) -> bool:
    """A message that shows a number before a plural noun ("{n} people") or an "(s)" ending: it must be an
    ngettext message, or "1 people" / "1 personnes" reaches the screen."""
    return bool(_COUNTED.search(msgid))


def check(template: Catalog | None = None) -> int:
    template = template if template is not None else extract()
    issues = []
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            issues.append(f"{language}: no catalog at {path.relative_to(ROOT)}")
            continue
        issues += problems(read(path, language), template)
    for line in issues:
        print(line)
    print(f"{len(issues)} problem(s)" if issues else "all catalogs complete")
    return 1 if issues else 0


# -- translating ---------------------------------------------------------------------------------------------
def missing() -> dict:
    """{msgid: {lang: ""}} for every message untranslated in at least one language (plural ids as "a|b")."""
    skeleton: dict[str, dict] = {}
    for language in LANGUAGES:
        for message in read(po_path(language), language):
            if not message.id:
                continue
            forms = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
            if all(forms) and not message.fuzzy:
                continue
            key = message.id if isinstance(message.id, str) else "|".join(message.id)
            skeleton.setdefault(key, {})[language] = "" if isinstance(message.id, str) else ["", ""]
    return skeleton


def fill(source: Path, force: bool = False) -> int:
    """Write translations from a JSON file {msgid: {lang: text or [plural forms]}} (plural msgid "one|other")."""
    data = json.loads(source.read_text(encoding="utf-8"))
    written = 0
    for language in LANGUAGES:
        path = po_path(language)
        catalog = read(path, language)
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else "|".join(message.id)
            value = data.get(key, {}).get(language)
            if not value:
                continue
            current = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
            if all(current) and not message.fuzzy and not force:
                continue
            if isinstance(message.id, str):
                message.string = value
            else:
                forms = [value] if isinstance(value, str) else list(value)
                count = catalog.num_plurals
                message.string = tuple((forms + [forms[-1]] * count)[:count])
            message.flags.discard("fuzzy")
            written += 1
        write(path, catalog)
    print(f"{written} translation(s) written")
    return 0


def compile_all(strict: bool = True) -> int:
    for language in LANGUAGES:
        path = po_path(language)
        catalog = read(path, language)
        issues = problems(catalog)
        if not strict:  # untranslated messages show in English; a broken placeholder would crash: still fatal
            issues = [line for line in issues if "placeholders of" in line]
        if issues:
            print("\n".join(issues))
            return 1
    sys.path.insert(0, str(ROOT / "src"))
    from build_catalogs import compile_catalogs  # the build step itself: one way to compile

    for mo in compile_catalogs(TRANSLATIONS, quiet=True):
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="write src/boutique_book/translations/boutique_book.pot")
    sub.add_parser("refresh", help="extract, merge into every .po, check")
    sub.add_parser("check", help="untranslated, fuzzy or broken placeholders: exit 1")
    sub.add_parser("missing", help="print a JSON skeleton of what is untranslated")
    p = sub.add_parser("fill", help="write translations from a JSON file into the .po files")
    p.add_argument("json", type=Path)
    p.add_argument("--force", action="store_true", help="also overwrite existing translations")
    p = sub.add_parser("compile", help="compile every .po into a .mo")
    p.add_argument("--lenient", action="store_true",
                   help="compile even with untranslated messages (shown in English); placeholders still checked")
    args = parser.parse_args(argv)
    if args.command == "extract":
        template = extract()
        write(POT, template)
        print(f"{POT.relative_to(ROOT)}: {len(template)} messages")
        return 0
    if args.command == "refresh":
        status = refresh()
        compile_all(strict=False)  # the source checkout reads .mo files: keep them in step with the .po
        return status
    if args.command == "check":
        return check()
    if args.command == "missing":
        json.dump(missing(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if args.command == "fill":
        status = fill(args.json, args.force)
        return status or compile_all(strict=False)
    return compile_all(strict=not args.lenient)


if __name__ == "__main__":
    sys.exit(main())
