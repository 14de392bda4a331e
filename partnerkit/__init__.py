"""partnerkit: guided workbooks for schools and partners working together on attendance."""

__version__ = "0.1.0"
