"""{% url %} that remembers the addresses without arguments: every page's menu asks for the same.

Django reverses each of them on every render (about 20 µs apiece, a dozen and more per page). An
address is remembered per URL configuration, script prefix and application namespace, so it is
the one Django would give; a tag with arguments or `as` is left to Django.
"""

from django import template
from django.template import defaulttags
from django.urls import get_script_prefix, get_urlconf

register = template.Library()

_MISSING = object()


class RememberedURLNode(defaulttags.URLNode):
    known: dict = {}

    def render(self, context):
        if self.args or self.kwargs or self.asvar:
            return super().render(context)
        request = getattr(context, "request", None)
        key = (
            self.view_name.resolve(context),
            getattr(request, "current_app", _MISSING),
            getattr(getattr(request, "resolver_match", None), "namespace", None),
            get_urlconf(),
            get_script_prefix(),
            context.autoescape,
        )
        url = self.known.get(key)
        if url is None:
            url = self.known[key] = super().render(context)
        return url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
