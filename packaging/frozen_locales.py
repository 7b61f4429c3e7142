"""Which of Babel's CLDR locale files the frozen app carries (issue #20: 33 MB for 1,100 locales).

The app reads CLDR data in three ways: the interface language (six), the language of a letter or card
(the templates' languages, Arabic included), and names of countries and languages *in* those languages
(core/labels.py reads them from the interface language's own file, never from the person's). A person's own
language only picks a template and the date style of their letter; for a language outside this list the
letter falls back as it does in a full install for a language without a template. So the files kept are
the root, the languages below and every regional variant of them (fr_CA, en_GB, de_CH, zh_Hant_TW...):
the world's most spoken languages and those of the boutiques' customers, ~7 MB.
"""

LANGUAGES = (
    "en", "fr", "de", "it", "es", "ja", "ar",          # interface and letter templates
    "zh", "ru", "pt", "nl", "ko", "he", "el", "tr", "pl", "sv", "da", "nb", "no", "fi", "cs", "hu", "ro", "uk",
    "th", "vi", "id", "hi", "fa", "ca", "lb", "rm", "gsw",
)


def kept(filename: str) -> bool:
    """babel/locale-data/<filename>: root, meta files and the locales of LANGUAGES are kept."""
    stem = filename.rsplit(".", 1)[0]
    if not filename.endswith(".dat"):
        return True
    return stem == "root" or stem.split("_")[0] in LANGUAGES
