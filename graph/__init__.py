"""coopmap: a knowledge graph of anti-trafficking and anti-smuggling institutions and their cooperation links.

The package is a library; ``cli.py`` and any server are thin faces over it. Modules import their heavy
dependencies (rdflib, networkx, pyvis, pyshacl) lazily, inside the functions that need them.
"""

__version__ = "0.1.0"
