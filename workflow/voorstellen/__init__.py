"""The acts of the secretariat on proposals and meetings, each one transaction: the acts, re-planning,
documents.
"""
