"""Load and fault runs against a real gunicorn + PostgreSQL on loopback.

``python -m loadtest.run`` (load) and ``python -m loadtest.faults`` (database outage); see the
testing guide. The simulated people read and answer the pages' forms with the HTML form reader
in :mod:`tests.support.forms`, the same one the tests, the fuzzers and the benchmarks use.
"""
