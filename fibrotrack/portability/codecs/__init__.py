"""Per-app codecs: export/import of JSON records, named in ``codec_registry.CODECS``.

The diary, profile and treatments codecs live here (portability owns them);
apps that ship their own ``portability`` module (trials) are referenced directly.
"""
