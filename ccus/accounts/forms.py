"""Forms of business and worker accounts: typed values kept, secrets write-only on edit."""

from django import forms
from django.db.models import DateField
from django.utils.translation import gettext_lazy as _

from ccus.accounts.kinds import ID_KIND
from ccus.accounts.models import CcusAccount, Company, Worker
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
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SECRET_ATTRS = {"autocomplete": "off", "spellcheck": "false"}
STORED_HELP = _("Saved. Leave blank to keep it, or type a new value to replace it.")


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
        for name in self.secret_names:
            self.fields[name].widget.attrs.update(SECRET_ATTRS)
            if account is not None and has_value(account, name):
                self.fields[name].help_text = STORED_HELP
                self.fields[name].widget.attrs["placeholder"] = "••••••••"

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

    def changes(self) -> dict:
        """Return the values for the service; on edit, blank secrets keep what is stored."""
        values = {}
        for name, value in self.cleaned_data.items():
            if self.account is not None and name in self.secret_names and value in ("", None):
                continue
            values[name] = value
        return values


def account_form_class(model: type[CcusAccount]) -> type[AccountForm]:
    """Build the form of a business or worker account."""
    widgets = {f.name: DATE_WIDGET for f in model._meta.concrete_fields if isinstance(f, DateField)}
    fields = forms.fields_for_model(model, fields=FIELDS[model], widgets=widgets)
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
