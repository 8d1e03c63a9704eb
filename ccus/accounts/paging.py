"""Pages of a firm's accounts whose total is counted once per version of the accounts."""

from django.core.paginator import Paginator
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property

from ccus.accounts.versions import firm_figure


class FigurePaginator(Paginator):
    """A paginator that counts in SQL only when the firm's accounts changed since last time."""

    def __init__(
        self, object_list, per_page: int, *, organization_id: int, name: str, version: str
    ) -> None:
        super().__init__(object_list, per_page)
        self.organization_id, self.version = organization_id, version
        # The name may carry what was searched for (an ID): only a keyed hash goes into the cache.
        self.figure = "count:" + salted_hmac("ccus.accounts.paging", name).hexdigest()

    @cached_property
    def count(self) -> int:
        """Return the number of accounts in all pages."""
        return firm_figure(
            self.organization_id, self.figure, lambda: Paginator.count.func(self), self.version
        )
