"""D2: personal data of complainants is ciphertext in the database, plain
to the code, searchable through the blind index; existing plain rows are
encrypted by the migration and decrypted again when it is reversed."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from kesu import crypto
from kesu.complaints.identity import blind_index
from kesu.complaints.models import Complainant, Complaint
from kesu.complaints.tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module(
    "kesu.complaints.migrations.0004_encrypt_personal_data")


class _Editor:
    connection = connection


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_database_holds_only_ciphertext(org):
    case = ComplaintFactory(owning_company=org["gz"], agent_phone="13912345678")
    person = case.complainant
    for column in ("id_number", "phone", "address"):
        stored = _raw("complaints_complainant", column, person.pk)
        assert stored.startswith("ks1$aes-gcm$")
        assert getattr(person, column) not in stored
    assert _raw("complaints_complaint", "agent_phone", case.pk).startswith("ks1$")
    fresh = Complainant.objects.get(pk=person.pk)
    assert fresh.id_number == person.id_number and fresh.phone == person.phone
    assert Complaint.objects.get(pk=case.pk).agent_phone == "13912345678"


def test_exact_search_works_through_the_blind_index(org):
    case = ComplaintFactory(owning_company=org["gz"])
    number = case.complainant.id_number
    found = Complainant.objects.filter(id_number_index=blind_index("id", number))
    assert list(found) == [case.complainant]


def test_sm4_can_be_selected_for_new_writes(org, settings):
    settings.KESU_FIELD_CIPHER = "sm4-gcm"
    case = ComplaintFactory(owning_company=org["gz"])
    assert _raw("complaints_complainant", "phone", case.complainant_id).startswith(
        "ks1$sm4-gcm$")
    stored = Complainant.objects.get(pk=case.complainant_id)
    assert stored.phone == case.complainant.phone


def test_the_migration_encrypts_plain_rows_and_fills_indexes(org):
    case = ComplaintFactory(owning_company=org["gz"])
    pk = case.complainant_id
    with connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_complainant SET id_number = %s, phone = %s, "
                       "id_number_index = '', phone_index = '' WHERE id = %s",
                       ["440101198001010011", "13800001111", pk])
    migration.encrypt_existing(apps, _Editor())
    assert crypto.is_encrypted(_raw("complaints_complainant", "id_number", pk))
    person = Complainant.objects.get(pk=pk)
    assert person.id_number == "440101198001010011"
    assert person.id_number_index == blind_index("id", "440101198001010011")
    assert person.phone_index == blind_index("phone", "13800001111")
    migration.decrypt_existing(apps, _Editor())
    assert _raw("complaints_complainant", "id_number", pk) == "440101198001010011"
