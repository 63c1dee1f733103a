"""The e-Depot: each held meeting of a body with archive rules as one ORI-A 1.0.1 file, with its
documents (agenda, decision list, the proposals' documents) and an MDTO 1.0.1 informatieobject
and bestand beside each, and the SHA-256 of every file.

model (what was exported), vergadering (the meeting as plain data, read at the edge), oria and
mdto (the XML, pure), export (the folders; idempotent per meeting), herinnering (the weekly
overview's reminder of meetings not yet exported).
"""
