"""The house by capability: arrows only go down, no import circle, small modules, said purpose."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CAPABILITIES = [
    "accounts", "api", "calendar", "handoff", "health", "mail", "oversight", "recovery",
    "reminders", "rosters",
]  # fmt: skip
# What each capability may import from the others: accounts and mail are the ground; the
# rollup counts unanswered reminders and the health report shows invitations.
ALLOWED = {
    "accounts": set(),
    "mail": set(),
    "recovery": {"accounts"},
    "reminders": {"accounts", "mail"},
    "oversight": {"accounts", "mail", "reminders"},
    "rosters": {"accounts"},
    "health": {"accounts", "oversight"},
    "handoff": {"accounts", "recovery"},
    "calendar": {"accounts", "reminders"},
    "api": {"accounts", "oversight"},
}
MAX_LINES = 300


def _modules(package: str) -> list[Path]:
    return [
        path
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    ]


def _imports(path: Path) -> set[str]:
    """Return every module a file imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _capability(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "ccus" and parts[1] in CAPABILITIES:
        return parts[1]
    return None


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_it_keeps_the_arrows_of_a_capability_going_down(capability):
    wrong = []
    for path in _modules(f"ccus/{capability}"):
        for module in _imports(path):
            other = _capability(module)
            if other and other != capability and other not in ALLOWED[capability]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
            if module == "ccus.models":
                wrong.append(f"{path.relative_to(ROOT)} imports the model registry")
    assert wrong == []


def test_it_never_lets_a_capability_import_another_ones_views_or_tasks():
    wrong = []
    for capability in CAPABILITIES:
        for path in _modules(f"ccus/{capability}"):
            for module in _imports(path):
                other = _capability(module)
                if (
                    other
                    and other != capability
                    and module.split(".")[2:3]
                    in (
                        ["views"],
                        ["tasks"],
                    )
                ):
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == []


def test_it_has_no_import_circle_between_capabilities():
    edges = {
        capability: {
            other
            for path in _modules(f"ccus/{capability}")
            for other in map(_capability, _imports(path))
            if other and other != capability
        }
        for capability in CAPABILITIES
    }

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in edges[start]
        )

    assert [c for c in CAPABILITIES if reaches(c, c, {c})] == []


def test_it_keeps_the_security_core_free_of_ccus():
    allowed = {ROOT / "vault" / "urls.py", ROOT / "vault" / "settings.py"}
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _modules("vault")
        if path not in allowed
        for module in _imports(path)
        if module.split(".")[0] == "ccus"
    ]
    assert wrong == []


@pytest.mark.parametrize("package", ["ccus", "vault"])
def test_it_keeps_every_module_small(package):
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in _modules(package)
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert long == []


def test_it_opens_each_package_with_one_sentence_on_what_it_is():
    packages = [ROOT / "ccus" / name for name in CAPABILITIES] + [
        ROOT / "vault" / name for name in ("crypto", "auth", "firms", "audit")
    ]
    for package in packages:
        docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
        assert docstring, package
        assert docstring.count(".") <= 1 and "\n" not in docstring, package
