"""Load and fault runs against a real gunicorn + PostgreSQL on loopback.

``python -m loadtest.run`` (load) and ``python -m loadtest.faults`` (database outage); see the
README, "Proof under load, faults and bad input". ``loadtest.run`` also holds the small HTML
form reader that the tests, the fuzzers and the benchmarks use to walk the assessment like a
person would.
"""
