"""``id__in=[…]`` that answers nothing for a number no column can hold.

Django already does this for ``exact``, ``gt`` and friends: a value beyond
the column's integer range matches no row. ``in`` hands the value to the
database as it is, and SQLite cannot even bind one past 64 bits
(``OverflowError``). Every model multiple choice field (the pages' and the
admin's multi-selects) checks posted ids with ``pk__in``, so a posted id of
2**63 would answer 500 instead of "not one of the available choices".
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerIn(In):
    lookup_name = "in"

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            smallest, largest = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or (
                    (smallest is None or value >= smallest)
                    and (largest is None or value <= largest)
                )
            ]
        return super().process_rhs(compiler, connection)
