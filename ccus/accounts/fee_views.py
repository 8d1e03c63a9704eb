"""The page where a firm enters the 管理者ID利用料 due dates its reminders are about."""

import datetime
import re

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ccus.accounts.dates import parse_date, wareki
from ccus.accounts.fees import fee_delete, fee_paid, fee_save
from ccus.accounts.models import Company
from vault.firms.models import Role
from vault.firms.permissions import get_for_role

# A fee runs one year from acquisition or renewal; a date further ahead is a typing mistake.
FURTHEST_AHEAD = relativedelta(years=2)
_ID_LIKE = re.compile(r"\d{8,}")


class JapaneseDateField(forms.DateField):
    """A date typed in 西暦 or 和暦 (2027/03/31, 令和9年3月31日, R9.3.31), in any width."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "placeholder": "2027-03-31"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_date(value)


class FeeForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Which manager ID"),
        max_length=100,
        help_text=gettext_lazy(
            "A name you recognise, such as 事業者責任者 or 現場管理者（駅前ビル）. "
            "Not the ID itself."
        ),
    )
    due_on = JapaneseDateField(
        label=gettext_lazy("Fee due on"),
        help_text=gettext_lazy("Written as 2027-03-31, 2027/3/31 or 令和9年3月31日."),
    )

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        if _ID_LIKE.search(re.sub(r"[\s\-]", "", label)):
            raise ValidationError(
                _("Write which manager ID this is (such as 現場管理者・駅前ビル), not its digits: "
                  "this name is not kept encrypted."),
                code="id_in_label",
            )  # fmt: skip
        return label

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        furthest = timezone.localdate() + FURTHEST_AHEAD
        if due_on > furthest:
            raise ValidationError(
                _("%(day)s is more than two years ahead. The fee is paid every year: enter the "
                  "next due date."),
                code="too_far", params={"day": f"{due_on:%Y-%m-%d}"},
            )  # fmt: skip
        return due_on


def fees_view(request: HttpRequest, uuid) -> HttpResponse:
    """List a business account's fee due dates; add one, or change one (fee=<uuid>)."""
    company = get_for_role(request, Company.objects.all(), Role.STAFF, uuid=uuid)
    fee = None
    if request.method == "POST" and request.POST.get("fee"):
        fee = get_object_or_404(company.manager_id_fees, uuid=request.POST["fee"])
    auto_id = f"fee-{fee.uuid}-%s" if fee else "id_%s"
    form = FeeForm(request.POST or None, auto_id=auto_id)
    if request.method == "POST" and form.is_valid():
        saved = fee_save(company=company, fee=fee, actor=request.user, request=request,
                         **form.cleaned_data)  # fmt: skip
        messages.success(request, _("Saved: %(label)s, due on %(day)s.") % _named(saved))
        if saved.due_on < timezone.localdate():
            messages.warning(request, _("This date has passed. If the fee was paid, enter the "
                                        "next due date."))  # fmt: skip
        return redirect("ccus:companies-fees", uuid=company.uuid)
    rows = [(f, wareki(f.due_on), form if f == fee else _fee_form(f))
            for f in company.manager_id_fees.all()]  # fmt: skip
    context = {"company": company, "rows": rows, "form": FeeForm() if fee else form}
    return render(request, "ccus/accounts/fees.html", context)


def _fee_form(fee) -> FeeForm:
    """Return the form to change one fee, filled in, with ids of its own on the page."""
    initial = {"label": fee.label, "due_on": f"{fee.due_on:%Y-%m-%d}"}
    return FeeForm(initial=initial, auto_id=f"fee-{fee.uuid}-%s")


def _named(fee) -> dict:
    return {"label": fee.label, "day": f"{fee.due_on:%Y-%m-%d}（{wareki(fee.due_on)}）"}


@require_POST
def fee_action_view(request: HttpRequest, uuid, fee_uuid) -> HttpResponse:
    """Mark a fee paid (its next due date a year later) or remove it."""
    company = get_for_role(request, Company.objects.all(), Role.STAFF, uuid=uuid)
    fee = get_object_or_404(company.manager_id_fees, uuid=fee_uuid)
    if request.POST.get("action") == "paid":
        fee_paid(fee=fee, actor=request.user, request=request)
        messages.success(request, _("Recorded as paid. Next due on %(day)s.") % _named(fee))
    elif request.POST.get("action") == "delete":
        fee_delete(fee=fee, actor=request.user, request=request)
        messages.success(request, _("Removed the fee date of %(label)s.") % {"label": fee.label})
    return redirect("ccus:companies-fees", uuid=company.uuid)
