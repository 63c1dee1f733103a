"""The names of a proposal's states, apart from the machine that moves between them.

Filtering on a state ("lopend", "vastgesteld", "...:geagendeerd") needs only these names; the
machine module needs the typed definitions, which a listing need not load (see
workflow.voorstellen.standen).
"""

INGEDIEND = "ingediend"
VASTGESTELD = "vastgesteld"
AFGEWEZEN = "afgewezen"
INGETROKKEN = "ingetrokken"
EINDTOESTANDEN = frozenset({VASTGESTELD, AFGEWEZEN, INGETROKKEN})

#: The phases of a state at a step: `<stap>:<fase>`.
GEAGENDEERD = "geagendeerd"
AANGEHOUDEN = "aangehouden"
GEADVISEERD = "geadviseerd"
TERUGVERWEZEN = "terugverwezen"
HERINGEDIEND = "heringediend"
#: A group step (`tegelijk`, `zienswijze`) sent to its branches, some still open (not named
#: 'lopend': that is the listing's filter for every unfinished proposal); what each branch did
#: is kept per branch in the database (table `tak`), not in this state.
VERZONDEN = "verzonden"
