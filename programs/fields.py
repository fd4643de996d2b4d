"""A list of vocabulary codes stored in one text column.

Stored as ``",cbt,dbt,"`` so that "offers DBT" is ``therapies__contains=",dbt,"`` on SQLite and
PostgreSQL alike (JSON containment is not portable to SQLite), and a program row carries its
lists without extra joins or queries.
"""

from django.db import models


def wrap(code: str) -> str:
    """The pattern that finds ``code`` in a CodeListField: use with ``__contains``."""
    return f",{code},"


class CodeListField(models.CharField):
    description = "A list of short codes"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 400:
            del kwargs["max_length"]
        kwargs.pop("blank", None)
        if kwargs.get("default") is list:
            del kwargs["default"]
        return name, path, args, kwargs

    @staticmethod
    def _split(value: str) -> list[str]:
        return [code for code in value.split(",") if code]

    def from_db_value(self, value, expression, connection):
        if value is None:
            return []
        return self._split(value)

    def to_python(self, value):
        if value is None:
            return []
        if isinstance(value, list | tuple | set):
            return [str(code) for code in value]
        return self._split(str(value))

    def get_prep_value(self, value):
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        codes = [str(code).strip() for code in value if str(code).strip()]
        return f",{','.join(codes)}," if codes else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        from django import forms

        return forms.CharField(
            required=not self.blank,
            help_text=kwargs.get("help_text", "Codes separated by commas."),
            **{k: v for k, v in kwargs.items() if k in ("label", "initial")},
        )
