"""import_organisation / export_organisation on the command line."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kesu.organisation.models import Company


def test_export_then_import_round_trips_and_a_bad_file_names_the_row(org, tmp_path):
    path = tmp_path / "org.xlsx"
    call_command("export_organisation", str(path))
    book = load_workbook(path)
    book["机构"].append(["SC", "四川分公司", "省级分公司", "HO", "核赔"])
    book["机构"].append(["SCCD", "成都分公司", "地市分公司", "NOPE", ""])
    book.save(path)
    count = Company.objects.count()
    with pytest.raises(CommandError, match="第 9 行"):
        call_command("import_organisation", str(path))
    assert Company.objects.count() == count
    book["机构"]["D9"] = "SC"
    book.save(path)
    call_command("import_organisation", str(path))
    assert Company.objects.get(code="SCCD").path == "HO/SC/SCCD/"


def test_a_missing_file_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_organisation", str(tmp_path / "missing.xlsx"))
