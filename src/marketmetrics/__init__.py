"""marketmetrics: the Python side of the e-commerce service-metrics warehouse."""

__version__ = "0.1.0"
