"""Size limits at the boundary (docs/safety.md, "Limits"): what a person can type, what an import keeps.

Decision: over-long input is **refused with a clear line**, never cut silently and never kept half:
- typed (app, CLI): a ValidationError naming the field and the limit; nothing is saved;
- imported: a name over the limit is cut with a warning in the report (the interchange rule); a note over
  the limit is not imported, the contact is, and the report says so (the text stays in the source file);
  a photo over the limit is left out with a warning; a file over the limit is not read at all.
"""

MAX_NAME_CHARS = 500            # given, family, organisation, transliteration, title, salutation
MAX_MOMENT_CHARS = 20_000       # one shared moment or note (about ten printed pages)
MAX_ITEM_CHARS = 500            # the item of a moment
MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_IMPORT_FILE_BYTES = 64 * 1024 * 1024   # one vCard/CSV file (100,000 people are about 30 MB)
