"""The definitions: the frozen dataclasses, reading and validating the YAML folder, the rhythms'
meeting dates, the applied versions in the database.
"""
