"""besluitroute: routes proposals (voorstellen) through the meeting cycle of public bodies."""

__version__ = "0.1.0"
