"""Data portability: everything a person holds, out (JSON, CSV, FHIR, ZIP) and in (imports).

``codec_registry.CODECS`` lists, per app, the code (a codec) that turns that
app's rows into plain JSON records and back. Exports and the FibroTrack
JSON/CSV imports both go through it, so a new app joins the export by adding
one entry. Imports from a browser run as ``ImportJob``s in the background
worker (``jobs``).
"""
