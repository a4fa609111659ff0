"""Files from watches and phones (Apple Health, Fitbit, Google Fit) read into daily values.

Each reader streams its file into a ``Summary`` (a few numbers per day, whatever
the file's size); ``store`` compares a summary with the person's diary (the
preview, reads only) and writes it (the import, one transaction). See
docs/data-formats.md, "Watches and phones".
"""
