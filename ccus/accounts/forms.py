"""Forms of business and worker accounts: typed values kept, secrets write-only on edit."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import DateField
from django.utils.translation import gettext_lazy as _

from ccus.accounts.dates import parse_date
from ccus.accounts.kinds import ID_KIND
from ccus.accounts.models import CcusAccount, Company, Worker
from ccus.accounts.selectors import WARNED_FIELDS
from ccus.accounts.validators import id_candidate
from vault.crypto.fields import encrypted_fields, has_value

FIELDS = {
    Company: [
        "name", "name_kana", "ccus_id", "responsible_person", "registered_email", "password",
        "initial_password", "security_code", "security_code_hint", "address", "phone",
        "registration_expires_on", "notice_location", "notes",
    ],
    Worker: [
        "name", "name_kana", "company", "ccus_id", "registered_email", "password",
        "initial_password", "security_code", "security_code_hint", "birth_date", "address",
        "phone", "card_expires_on", "level", "consent_given_on", "notes",
    ],
}  # fmt: skip
# A text box, not the browser's date picker: people type 和暦 (S50.4.1, 昭和50年4月1日) too.
DATE_WIDGET = forms.DateInput(
    attrs={"placeholder": "2027/03/31, R9.3.31", "autocomplete": "off"}, format="%Y/%m/%d"
)
DATE_HELP = _("Western or Japanese era: 2027/03/31, 令和9年3月31日 or R9.3.31.")
SECRET_ATTRS = {"autocomplete": "off", "spellcheck": "false"}
CLEAR_PREFIX = "clear_"
STORED_HELP = _("Saved. Leave blank to keep it, or type a new value to replace it.")


class JapaneseDateField(forms.DateField):
    """A date typed in 西暦 or 和暦, read by the same parser as imported rosters."""

    widget = DATE_WIDGET

    def __init__(self, **kwargs):
        kwargs["help_text"] = kwargs.get("help_text") or DATE_HELP
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_date(value, serials=False)


class AccountForm(forms.Form):
    """Base of the generated account forms; see account_form_class."""

    model: type[CcusAccount]

    def __init__(self, *args, organization, account: CcusAccount | None = None, **kwargs):
        self.account = account
        if account is not None:
            kwargs["initial"] = self._initial(account)
        super().__init__(*args, **kwargs)
        if "company" in self.fields:
            self.fields["company"].queryset = Company.objects.filter(
                organization=organization
            ).only("id", "name")
        stored = []
        for name in self.secret_names:
            self.fields[name].widget.attrs.update(SECRET_ATTRS)
            if account is not None and has_value(account, name):
                self.fields[name].help_text = STORED_HELP
                self.fields[name].widget.attrs["placeholder"] = "••••••••"
                stored.append(name)
        self.fields = self._with_clear_boxes(stored)

    def _with_clear_boxes(self, stored: list[str]) -> dict:
        """Put a "clear" box right after each stored secret: blank alone keeps the value."""
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name in stored:
                label = _("Clear the saved %(field)s") % {"field": field.label}
                fields[CLEAR_PREFIX + name] = forms.BooleanField(label=label, required=False)
        return fields

    @property
    def warning_slots(self) -> set[str]:
        """Return the fields after which a field's warnings go: after its "clear" box if any."""
        return {
            CLEAR_PREFIX + name if CLEAR_PREFIX + name in self.fields else name
            for name in WARNED_FIELDS
            if name in self.fields
        }

    @property
    def secret_names(self) -> list[str]:
        return [f.name for f in encrypted_fields(self.model) if f.name in self.fields]

    def _initial(self, account: CcusAccount) -> dict:
        secrets = {f.name for f in encrypted_fields(self.model)}
        initial = {n: getattr(account, n) for n in FIELDS[self.model] if n not in secrets}
        if "company" in initial:
            initial["company"] = account.company_id
        return initial

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.secret_names:
            if cleaned.get(CLEAR_PREFIX + name) and cleaned.get(name) not in ("", None):
                message = _("Either type a new value or tick “clear”, not both.")
                self.add_error(name, ValidationError(message, code="clear_and_value"))
        candidate = id_candidate(cleaned.get("ccus_id") or "", ID_KIND[self.model])
        # Only when the person pressed the button that offered these very digits.
        if candidate and self.data.get("accept_id") == candidate:
            cleaned["ccus_id"] = candidate
        return cleaned

    @property
    def offered_id(self) -> str | None:
        """Return the 14 digits to offer for a refused ID (a card number, or 13 digits)."""
        if not self.is_bound or not self.has_error("ccus_id"):
            return None
        return id_candidate(self.data.get("ccus_id", ""), ID_KIND[self.model])

    def values_for(self, names: list[str]) -> dict:
        """Return the cleaned values of these fields alone, leaving out refused ones.

        On edit, a blank secret is left out too: it keeps what is stored.
        """
        values = {}
        for name in names:
            field = self.fields[name]
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                value = field.clean(raw)
            except ValidationError:
                continue
            if self.account is not None and name in self.secret_names and value in ("", None):
                continue
            values[name] = value
        return values

    def changes(self) -> dict:
        """Return the values for the service; on edit, blank secrets keep what is stored.

        A secret whose "clear" box is ticked is emptied.
        """
        values = {}
        for name, value in self.cleaned_data.items():
            if name.startswith(CLEAR_PREFIX):
                continue
            if self.cleaned_data.get(CLEAR_PREFIX + name):
                values[name] = None  # cleared on purpose: audited as a change of the field
                continue
            if self.account is not None and name in self.secret_names and value in ("", None):
                continue
            values[name] = value
        return values


def account_form_class(model: type[CcusAccount]) -> type[AccountForm]:
    """Build the form of a business or worker account."""
    dates = {
        f.name: JapaneseDateField
        for f in model._meta.concrete_fields
        if isinstance(f, DateField) and f.name in FIELDS[model]
    }
    fields = forms.fields_for_model(model, fields=FIELDS[model], field_classes=dates)
    id_label = model._meta.get_field("ccus_id").verbose_name
    # Wider than 14: people type spaces and hyphens, which the service removes.
    fields["ccus_id"] = forms.CharField(
        label=id_label,
        required=False,
        max_length=40,
        help_text=_("14 digits. Full-width digits, spaces and hyphens are fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    fields["registered_email"] = forms.CharField(
        label=_("registered email"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"inputmode": "email"}),
    )
    return type(f"{model.__name__}Form", (AccountForm,), {"model": model, **fields})
