"""Forms of the recovery assistant: what is missing, what changed in CCUS, a handover step."""

from django import forms
from django.utils.translation import gettext_lazy

from ccus.accounts.forms import JapaneseDateField
from ccus.recovery import guide
from ccus.recovery.models import HandoverStep

# The paths that end with the ID found, to be saved in the vault.
ID_PATHS = {"id_in_vault", "id_where_printed", "inquiry_id"}


class StartForm(forms.Form):
    missing = forms.MultipleChoiceField(
        label=gettext_lazy("What is missing?"),
        choices=list(guide.MISSING.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one thing that is missing.")},
    )
    have = forms.MultipleChoiceField(
        label=gettext_lazy("What do you still have?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["have"].choices = [(k, guide.HAVE[k]) for k in guide.HAVE_FOR_KIND[kind]]


class DoneForm(forms.Form):
    """What changed in CCUS, saved when the case is solved; an ID path asks for the ID first."""

    ccus_id = forms.CharField(
        label=gettext_lazy("The ID found (14 digits)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    password = forms.CharField(
        label=gettext_lazy("New password (as set in CCUS)"), required=False, max_length=200
    )
    registered_email = forms.CharField(
        label=gettext_lazy("New registered email (if it changed)"), required=False, max_length=254
    )

    def __init__(self, *args, path: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if path not in ID_PATHS:
            del self.fields["ccus_id"]


class HandoverForm(forms.Form):
    step = forms.ChoiceField(choices=HandoverStep.Step.choices, widget=forms.HiddenInput)
    done_on = JapaneseDateField(label=gettext_lazy("Done on"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


class LeftForm(forms.Form):
    left_on = JapaneseDateField(label=gettext_lazy("Left on"))
    # Set by the button that confirms leaving with handover steps still undone.
    anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RegistrationAnswerForm(forms.Form):
    """The person's answer to 「新規登録は完了していますか」 when the vault cannot tell."""

    registration_complete = forms.ChoiceField(
        label=guide.ID_INQUIRY_QUESTIONS[0][1],
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        widget=forms.RadioSelect,
    )
