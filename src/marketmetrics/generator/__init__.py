"""Deterministic synthetic marketplace data in the raw contract's shapes.

history = generate(GeneratorConfig(seed=42, orders=20_000))
tables = replicate(history, as_of=None)  # dict[str, pyarrow.Table]
"""

from marketmetrics.generator.artefacts import KINDS
from marketmetrics.generator.config import ArtefactRates, GeneratorConfig
from marketmetrics.generator.history import History, generate
from marketmetrics.generator.replicate import replicate

__all__ = ["KINDS", "ArtefactRates", "GeneratorConfig", "History", "generate", "replicate"]
