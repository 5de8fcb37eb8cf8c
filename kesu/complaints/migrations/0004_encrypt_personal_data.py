"""D2 (security helper, issue 7): the complainant's ID number, phone and
address and the agent's phone are stored encrypted (kesu.crypto: AES-GCM by
default, SM4-GCM selectable, key id in every value). Existing rows are
encrypted in place and their blind indexes filled where empty. Reversible:
going back decrypts the values before the columns become plain again."""

from django.db import migrations

import kesu.crypto_fields

FIELDS = {"complainant": ["id_number", "phone", "address"], "complaint": ["agent_phone"]}
TABLES = {"complainant": "complaints_complainant", "complaint": "complaints_complaint"}


def _rows(schema_editor, model: str):
    table, cols = TABLES[model], FIELDS[model]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(cols)} FROM {table}")
        return cursor.fetchall()


def _write(schema_editor, model: str, pk, values: dict) -> None:
    sets = ", ".join(f"{c} = %s" for c in values)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLES[model]} SET {sets} WHERE id = %s",
                       [*values.values(), pk])


def encrypt_existing(apps, schema_editor):
    from kesu import crypto
    from kesu.complaints.identity import blind_index

    for model, cols in FIELDS.items():
        for pk, *values in _rows(schema_editor, model):
            changed = {c: crypto.encrypt(v) for c, v in zip(cols, values)
                       if v and not crypto.is_encrypted(v)}
            if changed:
                _write(schema_editor, model, pk, changed)
    Complainant = apps.get_model("complaints", "Complainant")
    for person in Complainant.objects.filter(id_number_index="").exclude(id_number=""):
        Complainant.objects.filter(pk=person.pk).update(
            id_number_index=blind_index("id", person.id_number))
    for person in Complainant.objects.filter(phone_index="").exclude(phone=""):
        Complainant.objects.filter(pk=person.pk).update(
            phone_index=blind_index("phone", person.phone))


def decrypt_existing(apps, schema_editor):
    from kesu import crypto

    for model, cols in FIELDS.items():
        for pk, *values in _rows(schema_editor, model):
            changed = {c: crypto.decrypt(v) for c, v in zip(cols, values)
                       if v and crypto.is_encrypted(v)}
            if changed:
                _write(schema_editor, model, pk, changed)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_sweep_partial_indexes")]

    operations = [
        migrations.AlterField(
            model_name="complainant", name="id_number",
            field=kesu.crypto_fields.EncryptedTextField(blank=True, verbose_name="证件号码"),
        ),
        migrations.AlterField(
            model_name="complainant", name="phone",
            field=kesu.crypto_fields.EncryptedTextField(blank=True, verbose_name="联系电话"),
        ),
        migrations.AlterField(
            model_name="complainant", name="address",
            field=kesu.crypto_fields.EncryptedTextField(blank=True, verbose_name="联系地址"),
        ),
        migrations.AlterField(
            model_name="complaint", name="agent_phone",
            field=kesu.crypto_fields.EncryptedTextField(blank=True, verbose_name="代理人电话"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
