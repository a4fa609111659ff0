"""Data portability: everything a person holds, out (JSON, CSV, FHIR, ZIP) and in (imports).

``registry.SECTIONS`` lists, per app, the code that turns that app's rows into
plain JSON records and back. Exports and the FibroTrack JSON/CSV imports both
go through it, so a new app joins the export by adding one entry.
"""
