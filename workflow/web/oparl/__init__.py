"""OParl 1.1 under /oparl/v1/: the published data only, as the specification's objects.

One Body (the organisation running besluitroute), an Organization per publishing orgaan, its
members as Person and Membership, each published meeting a Meeting with its AgendaItems and
Location, each proposal with published documents a Paper whose route steps are Consultations,
each document a File. Lists use keyset pagination (`?na=ID`): page 1,000 costs what page 1
costs, and a page of 200 objects takes as many statements as a page of 3.

basis (formats, what is public), laden (batch loading per page), objecten and organisatie
(the objects), lijsten (lists, filters, pagination), http (the blueprint), export (static files).
"""

from workflow.web.oparl.export import exporteer
from workflow.web.oparl.http import blueprint

__all__ = ["blueprint", "exporteer"]
