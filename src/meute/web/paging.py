"""Pages of a list whose cost does not grow with the table: counts stop at a cap.

Django's ``Paginator`` counts every matching row (``SELECT COUNT(*)``) on every request, which
is the cost of the whole table for the directory of a region. :class:`CappedPaginator`
counts at most ``cap + 1`` rows (``SELECT COUNT(*) FROM (SELECT … LIMIT cap + 1)``): up to
the cap the count is exact and the pages are Django's; beyond it the page says "more than
1 000" (``paginator.exact`` is false), and each page reads its rows plus one to know whether
a next page exists. A count shown is therefore always true: exact, or "more than the cap".
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000
MAX_PAGE = 100_000  # beyond it a page number is out of range (no OFFSET near the integer limit)


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap + 1`` rows; see the module's docstring."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int = COUNT_CAP,
                 columns: tuple[tuple[str, ...], dict[str, Any]] | None = None, **kwargs: Any) -> None:
        self.cap = cap
        self.columns = columns
        super().__init__(object_list, per_page, **kwargs)

    def _values(self, rows: Any) -> Any:
        """``rows`` as dictionaries when ``columns`` names them (fields, and ``{"name": expression}``):
        no model is built for a row, and the count still runs on the rows alone, without their joins."""
        if self.columns is None:
            return rows
        fields, expressions = self.columns
        return rows.values(*fields, **expressions)

    def _get_page(self, object_list: Any, number: int, paginator: Paginator) -> Page:
        return super()._get_page(self._values(object_list), number, paginator)

    @cached_property
    def count(self) -> int:
        """The number of rows, counted up to ``cap + 1`` (``exact`` says whether it stopped)."""
        rows = self.object_list.order_by() if hasattr(self.object_list, "order_by") else self.object_list
        head = rows[: self.cap + 1]
        return head.count() if hasattr(head, "count") and not isinstance(head, list) else len(head)

    @property
    def exact(self) -> bool:
        return self.count <= self.cap

    def validate_number(self, number: Any) -> int:
        if self.exact:
            return super().validate_number(number)
        try:
            value = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if value < 1 or value > MAX_PAGE:
            raise EmptyPage(self.error_messages["no_results"])
        return value

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if self.exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        window = self.object_list[bottom: bottom + self.per_page + 1]
        rows = list(self._values(window))
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)


class CappedPage(Page):
    """A page past the cap: it knows whether a next page exists, not how many there are."""

    def __init__(self, object_list: list, number: int, paginator: CappedPaginator, *, has_more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return self.has_more

    def has_other_pages(self) -> bool:
        return self.has_more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1


def capped_page(object_list: Any, per_page: int, number: Any, *, cap: int = COUNT_CAP,
                columns: tuple[tuple[str, ...], dict[str, Any]] | None = None) -> Page:
    """The page ``number`` of ``object_list`` (the first page for a bad number, the last known past the end);
    its rows are dictionaries of ``columns`` when given (see :meth:`CappedPaginator._values`)."""
    paginator = CappedPaginator(object_list, per_page, cap=cap, columns=columns)
    try:
        return paginator.page(number if number not in (None, "") else 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        if paginator.exact:
            return paginator.page(paginator.num_pages)
        last = max(1, (paginator.cap + paginator.per_page) // paginator.per_page)
        return paginator.page(last)
