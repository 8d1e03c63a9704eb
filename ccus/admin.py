"""Django admin for CCUS accounts: secrets are write-only and shown masked."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ccus.accounts.models import CcusAccount, Company, ManagerIdFee, Worker
from ccus.accounts.services import account_create, account_update, account_validate
from vault.crypto.fields import (
    UNREADABLE,
    EncryptedDateField,
    encrypted_fields,
    has_value,
    read_value,
)
from vault.crypto.masking import mask_ccus_id, mask_email, mask_text


class AccountAdminForm(forms.ModelForm):
    """Show every encrypted field empty; a blank one keeps the stored value."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in encrypted_fields(self._meta.model):
            if field.name not in self.fields:
                continue
            if field.name == "registered_email":
                # The service checks it, accepting carriers' older addresses (taro.@docomo.ne.jp).
                self.fields[field.name] = forms.CharField(required=False, max_length=254)
            form_field = self.fields[field.name]
            if not isinstance(field, EncryptedDateField):
                form_field.widget = forms.PasswordInput(render_value=False)
            form_field.help_text = _("Stored values are not shown. Leave blank to keep.")
            self.initial[field.name] = None

    def _get_validation_exclusions(self) -> set[str]:
        # The service validates the registered email; the model's EmailField would refuse the
        # carriers' older addresses that the service accepts.
        return {*super()._get_validation_exclusions(), "registered_email"}

    def clean(self) -> dict:
        cleaned = super().clean()
        for field in encrypted_fields(self._meta.model):
            if cleaned.get(field.name) in (None, ""):
                cleaned.pop(field.name, None)  # keep what is stored
        organization = cleaned.get("organization") or getattr(self.instance, "organization", None)
        if organization is not None and not self.errors:
            self.instance.organization = organization
            try:
                account_validate(account=self.instance, **self.changes())
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def changes(self) -> dict:
        """Return the changed model fields and their new values."""
        model_fields = {f.name for f in self._meta.model._meta.concrete_fields}
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in self.cleaned_data and name in model_fields and name != "organization"
        }


class AccountAdmin(admin.ModelAdmin):
    form = AccountAdminForm
    search_fields = ["name", "name_kana"]
    list_filter = ["organization"]
    readonly_fields = ["masked_id", "masked_email", "masked_secrets", "last_confirmed_at"]

    @admin.display(description=_("ID"))
    def masked_id(self, account: CcusAccount) -> str:
        return mask_ccus_id(account.ccus_id_last4) or "—"

    @admin.display(description=_("registered email"))
    def masked_email(self, account: CcusAccount) -> str:
        email = read_value(account, "registered_email")
        return str(email) if email is UNREADABLE else mask_email(email) or "—"

    @admin.display(description=_("stored secrets"))
    def masked_secrets(self, account: CcusAccount) -> str:
        stored = [
            f"{field.verbose_name}: {mask_text('x')}"
            for field in encrypted_fields(type(account))
            if field.name not in ("ccus_id", "registered_email") and has_value(account, field.name)
        ]
        return ", ".join(stored) or "—"

    def save_model(self, request, obj, form, change) -> None:
        changes = form.changes()
        if change:
            fresh = type(obj).objects.get(pk=obj.pk)
            account_update(account=fresh, actor=request.user, request=request, **changes)
            return
        created = account_create(
            model=type(obj),
            organization=form.cleaned_data["organization"],
            actor=request.user,
            request=request,
            **changes,
        )
        obj.pk, obj.uuid = created.pk, created.uuid


class ManagerIdFeeInline(admin.TabularInline):
    model = ManagerIdFee
    extra = 0


@admin.register(Company)
class CompanyAdmin(AccountAdmin):
    list_display = ["name", "masked_id", "organization", "registration_expires_on"]
    inlines = [ManagerIdFeeInline]


@admin.register(Worker)
class WorkerAdmin(AccountAdmin):
    list_display = ["name", "name_kana", "masked_id", "organization", "status", "card_expires_on"]
    list_filter = ["organization", "status"]
    list_select_related = ["organization"]
