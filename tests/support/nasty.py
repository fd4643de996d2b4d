"""Inputs that break careless parsers: empty, NUL, direction marks, digits int() reads
differently from str.isdigit(), huge numbers, markup, SQL, path tricks, very long text."""

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "\ufeff",
    "-1",
    "0",
    "--0",  # found by this fuzzer once: int() refused it inside the crisis check
    " 1 ",
    "\u00b2",  # superscript two: str.isdigit() is true, int() refuses it
    "\u0663",  # Arabic-Indic three: int() accepts it
    "0x10",
    "1_000",
    "999999999999999999999",
    "1e309",
    "NaN",
    "null",
    "[]",
    "{}",
    "true",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\U0001f600" * 50,
    "x" * 10_000,
    "9" * 10_000,
]
