"""Every page, in Japanese and English, shows people words: never a snake_case or dotted code.

The walk starts from every page of the URL conf that needs no parameter and follows the links it
finds, so a page added later is walked too; a page it cannot reach must be listed in SKIPPED.
"""

import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.browser.busy_firm import busy_demo
from tests.browser.conftest import SCREENSHOTS
from tests.console import hand_session_to_browser

# Pages not walked, and why.
SKIPPED = {
    "healthz": "machine-readable health check",
    "healthz-live": "machine-readable health check",
    "healthz-ready": "machine-readable health check",
    "metrics": "machine-readable metrics",
    "favicon": "an image",
    "login": "walked signed out, below",
    "logout": "POST only",
    "two_factor_setup": "only before the second factor is set up (test_console_browser)",
    "two_factor_verify": "only before the second factor is entered",
    "passkey_remove": "POST only",
    "password_set": "reached from an emailed link only",
    "set_language": "POST only",
    "switch_organization": "POST only",
    "member_remove": "POST only",
    "ccus:workers-confirm": "POST only",
    "ccus:companies-confirm": "POST only",
    "ccus:workers-reveal": "POST only",
    "ccus:companies-reveal": "POST only",
    "ccus:workers-left": "POST only",
    "ccus:workers-warnings": "POST only (a field's warnings as it is left, test_forms_browser)",
    "ccus:companies-warnings": "POST only (a field's warnings as it is left, test_forms_browser)",
    "ccus:workers-new-warnings": "POST only (a field's warnings as it is left, test_forms_browser)",
    "ccus:companies-new-warnings": "POST only (a field's warnings as it is left)",
    "ccus:workers-restore": "POST only",
    "ccus:companies-fee-action": "POST only",
    "ccus:site-roster-change": "POST only",
    "ccus:companies-restore": "POST only",
    "ccus:roster-export": "a spreadsheet download",
    "ccus:restore-detail": "needs an uploaded backup (tests/browser/test_restore_browser)",
    "ccus:restore-confirm": "POST only",
    "ccus:restore-cancel": "POST only",
    "ccus:import-confirm": "POST only",
    "ccus:import-mapping": "POST only",
    "ccus:import-errors": "a spreadsheet download",
    "ccus:import-accept": "POST only",
    "ccus:recovery-reveal": "POST only",
    "ccus:recovery-done": "POST only",
    "ccus:recovery-answer": "POST only",
    "ccus:handoff-revoke": "POST only",
    "ccus:handoff-open": "the worker's one-time link (test_handoff_browser)",
    "ccus:calendar-feed": "an iCalendar file",
    "ccus:api-token-revoke": "POST only",
    "ccus:reminders-confirm": "reached from an emailed link only",
    "ccus:reminders-resend": "POST only",
    "ccus:engagement-answer": "POST only",
    "ccus:engagement-end": "POST only",
}
SKIPPED_PREFIXES = {
    "admin/": "the Django admin, for the operator (Django's own translations)",
    "webauthn/": "JSON endpoints of passkeys",
    "api/v1/": "the read-only JSON API and its OpenAPI documentation",
}
# A word of lower-case letters joined by _ or . (password_reset, secret.reveal).
CODE = re.compile(r"(?<![\w@./:-])[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+(?![\w@/-])")
# Text that is not a word but a datum: emails, addresses, file names, domains.
NOT_WORDS = re.compile(
    r"\S+@\S+|https?://\S+|/\S+|\S+\.(?:csv|xlsx|ics|json|txt|pdf)\b|\b[\w-]+(?:\.[\w-]+)*\.(?:jp|com|net|org)\b"
)
TEXT_NODES = """() => {
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.trim();
    if (!text || !element || element.closest("script, style, noscript, template")) continue;
    if (element.closest("[translate=no]")) continue;  // data shown as it is: IDs, token starts
    if (element.closest("option") || element.checkVisibility()) texts.push(text);
  }
  for (const input of document.querySelectorAll("input[type=submit], input[placeholder]")) {
    texts.push(input.value || input.placeholder);
  }
  return texts;
}"""
HEADINGS = (
    "() => [...document.querySelectorAll('h1, h2, legend, th, title')].map(h => h.textContent)"
)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PER_ROUTE = 2  # a second example of a page may show other states (a worker who left...)


# A lower-case word alone in its element (a badge reading "new"): labels start with a capital
# in English and are Japanese in Japanese.
LONE_WORD = re.compile(r"[a-z][a-z0-9]*")


def codes_in(texts: list[str]) -> list[str]:
    """Return the internal codes found in a page's visible texts."""
    lone = [text for text in texts if LONE_WORD.fullmatch(text)]
    return lone + [code for text in texts for code in CODE.findall(NOT_WORDS.sub(" ", text))]


def lower_case_headings(headings: list[str]) -> list[str]:
    """Return the English headings that do not start with a capital letter."""
    return [f"heading: {text.strip()}" for text in headings
            if text.strip()[:1].isascii() and text.strip()[:1].islower()]  # fmt: skip


def _routes(resolver=None, prefix: str = "", namespace: str = ""):
    """Yield (route, name, has parameters) of every URL pattern."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            yield route, namespace + (pattern.name or route), "<" in route


def _skipped(route: str, name: str) -> bool:
    return name in SKIPPED or route.startswith(tuple(SKIPPED_PREFIXES))


def _start_urls() -> list[str]:
    return ["/" + route for route, name, has_parameters in _routes()
            if not has_parameters and not _skipped(route, name)]  # fmt: skip


def _name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _walk(page, base: str, language: str, user, seen: dict, found: dict) -> None:
    """Visit every page reachable from the start pages; note codes found, by page."""
    queue = deque(_start_urls())
    visited: set[str] = set()
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        name = _name(parts.path)
        if name is None or url in visited or _skipped(parts.path.lstrip("/"), name):
            continue
        query = dict(parse_qsl(parts.query))
        if "format" in query or seen.setdefault((language, name), 0) >= PER_ROUTE:
            continue
        visited.add(url)
        seen[(language, name)] += 1
        response = page.goto(base + url)
        assert response.status < 400, f"{url} answered {response.status}"
        codes = codes_in(page.evaluate(TEXT_NODES))
        if language == "en":
            codes += lower_case_headings(page.evaluate(HEADINGS))
        if codes:
            found[f"{language} {user.email} {url}"] = codes
            shot = SCREENSHOTS / f"codes-{language}-{name.replace(':', '-')}.png"
            page.screenshot(path=str(shot), full_page=True)
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
        ):
            link = urlsplit(href)
            if link.netloc or link.scheme or not link.path.startswith("/"):
                continue
            queue.append(link.path + (f"?{link.query}" if link.query else ""))


def _check(page, language: str, place: str, found: dict) -> None:
    codes = codes_in(page.evaluate(TEXT_NODES))
    if language == "en":
        codes += lower_case_headings(page.evaluate(HEADINGS))
    if codes:
        found[f"{language} {place}"] = codes


def _reveal_pages(page, language: str, found: dict) -> None:
    """Check the page a reveal answers with (a POST, so the walk does not reach it)."""
    from ccus.accounts.models import Worker

    worker = Worker.objects.filter(status="active").order_by("name_kana").first()
    for field in ("birth_date", "security_code"):
        page.goto(f"/workers/{worker.uuid}/")
        page.locator(f"form:has(input[name=field][value={field}]) button[type=submit]").click()
        page.wait_for_selector(f"#revealed-{field}")  # shown in place
        _check(page, language, f"reveal of {field}", found)


def _sign_in(page, live_server, user, language: str) -> None:
    hand_session_to_browser(page, live_server, user)
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": live_server.url}])  # fmt: skip


def _show(page, screenshot, language: str) -> None:
    """Keep pictures of the pages that used to show codes, as the owner sees them."""
    from ccus.recovery.models import HandoverStep
    from ccus.rosters.models import ImportJob

    job = ImportJob.objects.get(status=ImportJob.Status.PREVIEW)
    leaver = HandoverStep.objects.get().worker
    for name, url in [
        ("audit", "/firm/audit/"),
        ("recoveries", "/recovery/"),
        ("import-preview", f"/imports/{job.uuid}/preview/"),
        ("engagements", "/engagements/"),
        ("handover", f"/workers/{leaver.uuid}/handover/"),
    ]:
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        screenshot(f"words-{name}-{language}")
        page.set_viewport_size(PHONE)
        screenshot(f"words-{name}-{language}-phone")
    page.set_viewport_size(DESKTOP)


@pytest.mark.django_db(transaction=True)
def test_it_shows_no_internal_code_on_any_page_in_either_language(
    page, live_server, screenshot, tmp_path, settings
):
    settings.VAR_DIR = tmp_path
    owner, prime_owner = busy_demo()
    seen: dict = {}
    found: dict = {}
    page.set_viewport_size(DESKTOP)
    for language in ("ja", "en"):
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "django_language", "value": language,
                                   "url": live_server.url}])  # fmt: skip
        page.goto("/login/")
        codes = codes_in(page.evaluate(TEXT_NODES))
        if language == "en":
            codes += lower_case_headings(page.evaluate(HEADINGS))
        if codes:
            found[f"{language} /login/"] = codes
        for user in (owner, prime_owner):
            _sign_in(page, live_server, user, language)
            _walk(page, live_server.url, language, user, seen, found)
        _sign_in(page, live_server, owner, language)
        _reveal_pages(page, language, found)
        screenshot(f"words-reveal-{language}")
        _show(page, screenshot, language)
    report = "\n".join(f"{page}: {' '.join(sorted(set(codes)))}" for page, codes in found.items())
    assert not found, f"internal codes on screen:\n{report}"
    walked = {name for _language, name in seen}
    missed = [route for route, name, _ in _routes()
              if name not in walked and not _skipped(route, name)]  # fmt: skip
    assert missed == [], "pages neither walked nor listed in SKIPPED with a reason"
