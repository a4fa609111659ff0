"""Every write a study makes, one module per topic (``enrolment``, ``allocation``, ``visits`` …).

Views call ``do_*`` functions; each runs in a transaction and carries out its side effects
(logs, notifications through the worker).
"""
