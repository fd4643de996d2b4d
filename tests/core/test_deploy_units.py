"""The systemd units in deploy/ run commands that exist, with options those commands accept: a
renamed command or option would otherwise fail only on the production machine at 07:00."""

import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
MANAGE = re.compile(r"^ExecStart=\S*python manage\.py (.+)$", re.M)


def manage_lines():
    for unit in UNITS:
        for line in MANAGE.findall(unit.read_text()):
            yield pytest.param(unit.name, shlex.split(line), id=f"{unit.name}: {line}")


def test_the_daily_jobs_are_there():
    daily = (ROOT / "deploy" / "systemd" / "iop-finder-daily.service").read_text()
    for command in (
        "send_follow_up_digest",
        "request_listing_updates",
        "purge_submissions",
        "purge_resume_drafts",
    ):
        assert f"manage.py {command}" in daily


@pytest.mark.parametrize(("unit", "argv"), list(manage_lines()))
def test_each_unit_runs_a_command_that_exists_with_options_it_accepts(unit, argv):
    name, *args = argv
    commands = get_commands()
    assert name in commands, f"{unit}: no command {name}"
    command = load_command_class(commands[name], name)
    # Raises SystemExit (an argparse error) on an option the command does not accept.
    command.create_parser("manage.py", name).parse_args(args)
