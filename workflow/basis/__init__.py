"""The shared kernel: the clock, errors, Dutch text, input bounds, safe files, shipped paths. Imports
nothing of ours outside basis.
"""
