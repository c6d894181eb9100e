"""``field__among=[ids]``: membership in a list of integers sent as **one** parameter.

On PostgreSQL ``id__in=[…]`` writes one placeholder per value: a query of two thousand ids is a
new query text each time (the driver parses it again, the server plans a long literal list).
``among`` sends the list as one ``bigint[]`` parameter (``col = ANY(%s)``), so the text never
changes and the planner sees one array. Other databases get the usual ``IN (…)``.
"""

from __future__ import annotations

from django.db.models import BigIntegerField, ForeignKey, IntegerField, Lookup


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(v) for v in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, list(self.rhs)]


def register() -> None:
    for field in (IntegerField, BigIntegerField, ForeignKey):
        field.register_lookup(Among)
