"""Per-app export/import of JSON records, named in ``portability.registry.SECTIONS``.

The diary and treatments sections live here (reports owns portability);
apps that ship their own ``portability`` module (trials) are referenced directly.
"""
