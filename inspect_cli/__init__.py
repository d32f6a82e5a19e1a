"""inspect-cli: score child-protection case audits against an inspection framework."""

__version__ = "0.1.0"
