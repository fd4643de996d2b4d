"""Helpers the tests share (and the load test, fuzzers and benchmarks reuse).

Test modules import helpers from here, never from another test module or a conftest: a
``test_*.py`` file holds tests, a ``conftest.py`` holds fixtures, and what several of them need
lives in this package.
"""
