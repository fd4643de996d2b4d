"""Importers from public directory formats into our models.

* :mod:`programs.importers.samhsa`: SAMHSA treatment locator JSON (FindTreatment.gov).
* :mod:`programs.importers.hsds`: Open Referral HSDS tabular data packages, 1.x and 3.0.

Each import runs in one transaction and re-imports update rows keyed on the source's ids.
Run them with ``python manage.py import_programs PATH --format samhsa|hsds``.
"""
