"""How a meeting decided: who was present (aanwezigheid), whether it could decide (quorum) and
how each beslispunt was voted on (stemming). The pure rules are in aanwezigheid, quorum and
stemming; model holds the tables, vastleggen the acts and loaders at the database edge.
"""
