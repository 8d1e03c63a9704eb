"""{% url %} gives what Django's own tag gives, remembering only addresses without arguments."""

import uuid

import pytest
from django.template import Context, Engine, engines
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix

from vault.templatetags.remembered_urls import RememberedURLNode

SOURCE = (
    "{% url 'ccus:workers' %}|{% url name %}|{% url 'ccus:workers-detail' pk %}"
    "|{% url 'ccus:companies' as there %}{{ there }}"
)
DJANGO = Engine(libraries={})
OURS = engines["django"].engine


def render(engine: Engine, **context) -> str:
    return engine.from_string(SOURCE).render(Context(context))


def test_the_project_s_templates_use_it():
    node = OURS.from_string("{% url 'ccus:workers' %}").nodelist[0]
    assert isinstance(node, RememberedURLNode)


@pytest.mark.parametrize("prefix", ["/", "/vault/"])
def test_it_gives_the_address_django_gives_under_each_script_prefix(prefix):
    pk = uuid.uuid4()
    set_script_prefix(prefix)
    try:
        for _ in range(2):  # the second time from what it remembered
            assert render(OURS, name="ccus:dashboard", pk=pk) == render(
                DJANGO, name="ccus:dashboard", pk=pk
            )
        assert render(OURS, name="ccus:dashboard", pk=pk).startswith(f"{prefix}workers/|")
    finally:
        clear_script_prefix()


def test_it_remembers_only_addresses_without_arguments():
    RememberedURLNode.known.clear()
    render(OURS, name="ccus:calendar", pk=uuid.uuid4())
    names = {key[0] for key in RememberedURLNode.known}
    assert names == {"ccus:workers", "ccus:calendar"}


def test_it_still_refuses_a_name_that_does_not_exist():
    with pytest.raises(NoReverseMatch):
        OURS.from_string("{% url 'no-such-page' %}").render(Context({}))
