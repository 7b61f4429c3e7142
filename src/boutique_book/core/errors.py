"""Typed errors whose message is the one line a person sees (never a traceback)."""


import re

from ..translation import _, ngettext

_DOUBLED_STOP = re.compile(r"(?<=[\w)\]\"'])\.\.(?=\s|$)")  # 'backup).. Nothing', not '...' nor '../'


class BoutiqueBookError(Exception):
    """Base class: str(error) is a complete, user-facing sentence. A part that already ends with a full stop
    (an OS reason, a SQLite detail, a nested error) never doubles the one the sentence adds (issue #17)."""

    def __str__(self) -> str:
        return _DOUBLED_STOP.sub(".", super().__str__())


class VaultError(BoutiqueBookError):
    pass


class WrongPassphrase(VaultError):
    def __init__(self, path):
        super().__init__(
            _("The passphrase does not open {path}. Check Caps Lock and try again "
              "(if you are sure it is right, the file may be damaged: restore the newest backup).").format(path=path)
        )


class NotAVault(VaultError):
    def __init__(self, path, why=None):
        why = why or _("it is not a Boutique Book vault")
        super().__init__(_("{path} cannot be opened: {why}.").format(path=path, why=why))


class VaultMissing(VaultError):
    def __init__(self, path):
        super().__init__(_("There is no vault at {path}.").format(path=path))


class VaultExists(VaultError):
    def __init__(self, path):
        super().__init__(_("A file already exists at {path}; choose another name.").format(path=path))


class VaultNotWritable(VaultError):
    def __init__(self, path, why=None):
        why = why or _("the location is read-only")
        super().__init__(_("Cannot write the vault at {path}: {why}.").format(path=path, why=why))


class VaultTooNew(VaultError):
    def __init__(self, path, version, known):
        super().__init__(
            _("{path} was written by a newer Boutique Book (schema {version}, this version knows {known}); "
              "update the app to open it.").format(path=path, version=version, known=known)
        )


class VaultDamaged(VaultError):
    def __init__(self, path, detail=""):
        super().__init__(
            (_("{path} is damaged and was not changed: {detail}. Restore the newest good backup.") if detail
             else _("{path} is damaged and was not changed. Restore the newest good backup.")
             ).format(path=path, detail=detail)
        )


class VaultTruncated(VaultError):
    def __init__(self, path, size, pages=None):
        if pages is None:
            what = _("{size} bytes, not a whole vault").format(size=size)
        else:
            what = ngettext("only its first page is there", "only its first {n} pages are there", pages
                            ).format(n=pages)
        super().__init__(
            _("{path} is cut short ({what}): it was not changed. Restore the newest good backup.").format(
                path=path, what=what))


class MigrationFailed(VaultError):
    """A schema update failed: the vault is left exactly as it was before that update (not damaged)."""

    def __init__(self, path, version, name, detail, backup_path=None):
        kept = (" " + _("A backup taken just before is at {path}.").format(path=backup_path)) if backup_path else ""
        super().__init__(
            _("Updating {path} to this version of Boutique Book failed at step {version} ({name}): {detail}. "
              "The vault was left as it was and is not damaged; keep using the previous version and report this."
              ).format(path=path, version=version, name=name, detail=detail) + kept)
        self.version = version


class StorageFailed(VaultError):
    """A save could not reach the disk (full, removed, read-only). Nothing of that change was saved;
    everything saved before is intact; the app stays up and the edit can be retried."""

    def __init__(self, path, why):
        super().__init__(
            _("Could not save to {path}: {why}. Nothing of this change was saved and everything saved before "
              "is safe; fix the cause and try again.").format(path=path, why=why)
        )


class VaultBusy(StorageFailed):
    """Another connection held the write lock longer than the busy timeout (an import, a backup, another
    window or process). Nothing of this change was saved; the same action can simply be retried."""

    def __init__(self, path):
        super().__init__(path, _("another window or process is saving to the book (an import or a backup?) "
                                 "and did not finish in time; wait for it to end"))


class DiskFull(StorageFailed):
    def __init__(self, path):
        super().__init__(path, _("the disk is full (free some space)"))


class ValidationError(BoutiqueBookError):
    """Bad input at the boundary. `field` names the form field it belongs to."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class NotFound(BoutiqueBookError):
    pass
