"""Agendas, decision lists and cover pages: composing them (pure), loading them from the database,
rendering and writing them.
"""
