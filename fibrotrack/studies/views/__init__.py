"""The study pages, one module per topic; ``urls.py`` lists them all."""
