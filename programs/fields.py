"""A list of vocabulary codes stored in one text column.

Stored as ``",cbt,dbt,"`` so that "offers DBT" is ``therapies__contains=",dbt,"`` on SQLite and
PostgreSQL alike (JSON containment is not portable to SQLite), and a program row carries its
lists without extra joins or queries.
"""

from django import forms
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
        return [code.strip() for code in value.split(",") if code.strip()]

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
            value = self._split(value)
        codes = [str(code).strip() for code in value if str(code).strip()]
        return f",{','.join(codes)}," if codes else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        defaults = {"form_class": CodeListFormField, "max_length": None}
        defaults.update(kwargs)
        return super().formfield(**defaults)


class CodeListFormField(forms.CharField):
    """Edits a code list as text, "cbt, dbt", and cleans it back to a list."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [code.strip() for code in text.split(",") if code.strip()]
