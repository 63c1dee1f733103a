"""The bounds of every number, date and text a user can give us, in one place (docs/fouten.md,
"Grenzen aan de invoer"). Checked where input enters (definitions, command line, config), so nothing accepted
there can overflow a date, an integer column or a text column later.
"""

from __future__ import annotations

from datetime import date

#: Ids of meetings and messages: an INTEGER column on PostgreSQL is 32 bits.
MAX_ID = 2**31 - 1
#: Dates in definitions and on the command line, and `--jaar`: far from date.min and date.max,
#: so every deadline and look-ahead computed from them stays a valid date.
DATUM_MIN = date(1900, 1, 1)
DATUM_MAX = date(2199, 12, 31)
#: Working days before a meeting that papers are due; days before it that the agenda goes out.
MAX_AANLEVEREN_WERKDAGEN = 120
MAX_VERZENDEN_DAGEN = 180
#: A meeting lasts at most a day.
MAX_DUUR_MINUTEN = 24 * 60
#: Days between two steps of a route; meetings a year a duty may require.
MAX_DAGEN_NA_VORIGE = 366
MAX_PER_JAAR = 366
#: Grace period after downtime (`planner --grace`, `herinneringen verstuur --inhaaltermijn`).
MAX_INHAALTERMIJN_UREN = 24 * 366
