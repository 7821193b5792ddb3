"""involve: evidence about service user and carer involvement from a board's minutes and papers."""

__version__ = "0.1.0"
