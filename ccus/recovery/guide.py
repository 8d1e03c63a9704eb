"""What CCUS asks when a login is lost: every item list and every sentence of the guide.

When CCUS changes its site or its inquiry form, this module (and its lines in the Japanese
catalogue) is the one place to edit. Item labels are CCUS's own Japanese terms, shown as they
appear on the CCUS form in every language.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CCUS_TOP_URL = "https://www.ccus.jp/"

WHERE_LOGIN = _(
    "Open the official CCUS site and use the login button at the top right, or the login link "
    "in the registration-complete email."
)
WHERE_PASSWORD_RESET = _(
    "On the CCUS login screen, the link “パスワードを忘れた場合” is just below the login button."
)
WHERE_INQUIRY_FORM = _(
    "The inquiry form is hard to find: it is a small link at the very bottom of the right-most "
    "column of the footer of the CCUS top page. Or open the chatbot at the bottom right of the "
    "top page, answer “no” when it asks whether your problem was solved, and it offers the form."
)
INQUIRY_WAIT = _("CCUS answers inquiries by email, usually within 3 to 5 business days.")

# What a person may be missing, and what they may still have at hand.
MISSING = {
    "id": _("The ID"),
    "password": _("The password"),
    "email": _("The registered email (unknown, or its inbox cannot be used)"),
    "security_code": _("The security code (asked when changing the password)"),
}
HAVE = {
    "postcard": _("The registration-complete postcard (圧着ハガキ)"),
    "completion_email": _("The registration-complete email"),
    "card": _("The CCUS card"),
    "inbox": _("Access to the inbox of the registered email"),
}
HAVE_FOR_KIND = {
    "company": ["postcard", "completion_email", "inbox"],
    "worker": ["card", "completion_email", "inbox"],
}


@dataclass(frozen=True)
class Item:
    """One item the CCUS inquiry form asks for: its CCUS label and where the vault keeps it."""

    ccus_label: str
    field: str = ""  # account field that fills it; "" when the user types it
    typed: str = ""  # name of the input the user fills in, when not from the record
    contact: bool = False  # part of the contact-person block


# Inquiry form, pull-down "① ログイン情報を教えてほしい", choice c (registered email unknown).
# Both lists end alike: the registered email on record, then what the user types (the new
# address, the reason, whether login works, the contact person).
_TYPED_ITEMS = [
    Item("登録済メールアドレス", field="registered_email"),
    Item("変更希望メールアドレス", typed="new_email"),
    Item("使用できない理由", typed="reason"),
    Item("ログイン可能か", typed="can_log_in"),
    Item("会社名", typed="contact_company", contact=True),
    Item("ご担当者名", typed="contact_person", contact=True),
    Item("その他質問", typed="other_questions", contact=True),
]
EMAIL_INQUIRY_ITEMS = {
    "company": [
        Item("事業者名", field="name"),
        Item("事業者ID", field="ccus_id"),
        Item("所在地", field="address"),
        Item("電話番号", field="phone"),
        *_TYPED_ITEMS,
    ],
    "worker": [
        Item("技能者氏名", field="name"),
        Item("技能者ID", field="ccus_id"),
        Item("登録住所", field="address"),
        Item("登録電話番号", field="phone"),
        Item("生年月日（西暦）", field="birth_date"),
        *_TYPED_ITEMS,
    ],
}

# Inquiry form, pull-down "① ログイン情報を教えてほしい", choice d (ID unknown): five questions.
ID_INQUIRY_QUESTIONS = [
    ("registration_complete", "新規登録は完了していますか"),
    ("id_kind", "確認したいIDの種類"),
    ("notice_email", "「事業者情報新規登録完了」の通知メールを確認できますか"),
    ("email_changed", "登録責任者のメールアドレス（通知の再送先）に変更はありますか"),
    ("security_code", "セキュリティコードを控えていますか"),
]

ANSWERS = {
    "yes_id_on_record": _("Yes: the vault holds an ID for this account."),
    "yes_expiry_on_record": _("Yes: the vault holds the expiry date of this registration."),
    "yes_card": _("Yes: the CCUS card was issued, so the registration is complete."),
    "yes_notice": _("Yes: the registration-complete notice is at hand."),
    "registration_yes": _("Yes (as you answered)."),
    "registration_no": _(
        "No (as you answered): there is no ID yet, so the inquiry cannot give one. Finish the "
        "registration with the application login (申請用ログインID) that CCUS sent by email."
    ),
    "company_id": "事業者ID",
    "worker_id": "技能者ID",
    "yes": _("Yes"),
    "no": _("No (cannot check)"),
    "responsible_email_on_record": _(
        "The vault holds the email of the 登録責任者 %(person)s (%(email)s), confirmed on "
        "%(date)s. If that inbox still receives mail, answer that it has not changed; if it "
        "does not, answer that it changed."
    ),
    "responsible_email_unconfirmed": _(
        "The vault holds the email of the 登録責任者 %(person)s (%(email)s), never confirmed. "
        "If that inbox still receives mail, answer that it has not changed; if it does not, "
        "answer that it changed."
    ),
    "responsible_email_unknown": _(
        "Not known: the vault has no email of the 登録責任者. Answer “cannot check”."
    ),
    "security_code_on_record": _("Yes: it is saved in the vault."),
}
# Asked of the person when the vault cannot answer 「新規登録は完了していますか」 itself.
REGISTRATION_QUESTION = _(
    "The vault cannot tell whether the CCUS registration was completed. Was it? It was if "
    "CCUS sent the registration-complete notice (postcard or email) or the CCUS card."
)
INITIAL_PASSWORD = _(
    "A password that was never changed is still the initial password printed on the "
    "registration-complete notice (the postcard or email; for a worker also the card mount). "
    "Try it first: the initial password saved in the vault is below."
)

# Each path: a title and the steps, in order.
PATHS = {
    "id_in_vault": {
        "title": _("The ID is saved in the vault"),
        "steps": [
            _("Show the ID below (you may be asked for your own password first) and copy it."),
            WHERE_LOGIN,
        ],
    },
    "id_where_printed": {
        "title": _("Find the ID on what you have at hand"),
        "steps": [],  # filled per kind from ID_PRINTED_ON
    },
    "inquiry_id": {
        "title": _("Ask CCUS for the ID with the inquiry form"),
        "steps": [
            WHERE_INQUIRY_FORM,
            _("Choose “① ログイン情報を教えてほしい”, then choice d."),
            _("Answer the five questions; the answers the vault knows are filled in below."),
            INQUIRY_WAIT,
        ],
    },
    "inquiry_email": {
        "title": _("Change the registered email through the inquiry form"),
        "steps": [
            WHERE_INQUIRY_FORM,
            _("Choose “① ログイン情報を教えてほしい”, then choice c."),
            _(
                "Send the items below. Those the vault holds are filled in; type the new email, "
                "the reason and the contact person."
            ),
            INQUIRY_WAIT,
        ],
    },
    "password_reset": {
        "title": _("Reset the password yourself"),
        "steps": [
            WHERE_PASSWORD_RESET,
            _("Enter the login ID and the registered email below. Both must match CCUS."),
            _("CCUS mails a new password to the registered email. Sign in with it."),
            _("Then come back here and save the new password in the vault."),
        ],
    },
    "security_code": {
        "title": _("The security code"),
        "steps": [
            _(
                "The security code is a 4-digit number CCUS asks for when the password is "
                "changed, not at a normal login."
            ),
            _(
                "For a worker it is printed on the back of the CCUS card (本人確認番号). Whether "
                "a business account has one is not confirmed."
            ),
            _(
                "If it is saved in the vault, show it below. If not, and the card is not at "
                "hand, ask CCUS through the inquiry form."
            ),
            WHERE_INQUIRY_FORM,
        ],
    },
}


def path_label(path: str) -> str:
    """Return the title a person reads for a path (never its code)."""
    return PATHS[path]["title"] if path in PATHS else _("Another path")


ID_PRINTED_ON = {
    "company": {
        "postcard": _(
            "The 事業者ID is printed on the registration-complete postcard (圧着ハガキ)."
        ),
        "completion_email": _("The 事業者ID is in the registration-complete email from CCUS."),
    },
    "worker": {
        "card": _(
            "The number on the front of the CCUS card: its leftmost 14 digits are the 技能者ID."
        ),
        "completion_email": _("The 技能者ID is in the registration-complete email from CCUS."),
    },
}
