"""Evidence uploads and downloads (issue 3 items 1 and 6, issue 7 F4, D3):
allow-list by extension and magic bytes, size limit, SHA-256 verified on
download, generated names, served as attachments; archived cases are
read-only; other provinces get 404."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.audit.models import AuditRecord
from kesu.complaints import uploads
from kesu.complaints.models import Attachment, Event, State

from .factories import ComplaintFactory, advance

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%evidence\n" + b"0" * 100


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 1024


@pytest.fixture
def case(org):
    return ComplaintFactory(owning_company=org["gz"])


def upload(client, case, name, content, **data):
    return client.post(
        f"/api/complaints/{case.pk}/attachments",
        {"file": SimpleUploadedFile(name, content), **data},
    )


def test_a_clerk_uploads_evidence_and_downloads_it_back(client, case, city_clerk):
    client.force_login(city_clerk)
    response = upload(client, case, "../../收据.pdf", PDF)
    assert response.status_code == 201
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["original_name"] == "收据.pdf"
    stored = Attachment.objects.get()
    assert stored.file.name.startswith("attachments/")
    assert "收据" not in stored.file.name and ".." not in stored.file.name
    assert Event.objects.filter(complaint=case, action="attach").count() == 1

    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditRecord.objects.filter(
        action="attachment.download", result="success"
    ).exists()
    listed = client.get(f"/api/complaints/{case.pk}").json()["attachments"]
    assert [a["id"] for a in listed] == [body["id"]]


@pytest.mark.parametrize(
    "name,content",
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),  # disguised
        ("photo.png", PDF),  # wrong magic for the extension
        ("tool.exe", b"MZ\x90\x00"),
        ("noextension", PNG),
    ],
)
def test_files_of_a_disallowed_type_or_disguised_content_are_refused(
    client, case, city_clerk, name, content
):
    client.force_login(city_clerk)
    response = upload(client, case, name, content)
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, case, city_clerk):
    client.force_login(city_clerk)
    response = upload(client, case, "big.png", PNG + b"\x00" * 2048)
    assert response.status_code == 400
    assert "MB" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_an_altered_file_is_not_served_and_the_failure_is_logged(
    client, case, city_clerk
):
    client.force_login(city_clerk)
    body = upload(client, case, "photo.png", PNG).json()
    stored = Attachment.objects.get()
    with default_storage.open(stored.file.name, "wb") as fh:
        fh.write(PNG + b"tampered")
    response = client.get(body["download_url"])
    assert response.status_code == 409
    assert AuditRecord.objects.filter(
        action="attachment.download", result="failure"
    ).exists()


def test_an_archived_case_takes_no_more_attachments(client, org, city_clerk):
    archived = advance(ComplaintFactory(owning_company=org["gz"]), State.ARCHIVED)
    client.force_login(city_clerk)
    response = upload(client, archived, "photo.png", PNG)
    assert response.status_code == 409
    assert not Attachment.objects.exists()


def test_management_may_read_but_not_upload(client, org, management):
    case = ComplaintFactory(owning_company=org["gd"])
    client.force_login(management)
    assert upload(client, case, "photo.png", PNG).status_code == 403


def test_another_province_gets_404_for_upload_and_download(
    client, case, city_clerk, outsider_in_another_province
):
    client.force_login(city_clerk)
    url = upload(client, case, "photo.png", PNG).json()["download_url"]
    client.force_login(outsider_in_another_province)
    assert client.get(url).status_code == 404
    assert upload(client, case, "photo.png", PNG).status_code == 404
    assert Attachment.objects.count() == 1


def test_an_attachment_is_not_reachable_through_another_case(client, org, city_clerk):
    client.force_login(city_clerk)
    a = ComplaintFactory(owning_company=org["gz"])
    b = ComplaintFactory(owning_company=org["gz"])
    att = upload(client, a, "photo.png", PNG).json()
    assert (
        client.get(f"/api/complaints/{b.pk}/attachments/{att['id']}").status_code == 404
    )


def test_the_twenty_first_attachment_of_a_case_is_refused(client, case, city_clerk):
    client.force_login(city_clerk)
    for i in range(20):
        assert upload(client, case, f"p{i}.png", PNG).status_code == 201
    response = upload(client, case, "p21.png", PNG)
    assert response.status_code == 400
    assert "20" in response.json()["detail"] and response.json()["field"] == "file"
    assert Attachment.objects.filter(complaint=case).count() == 20


def test_the_web_upload_says_why_the_attachment_over_the_limit_was_not_saved(
    client, case, city_clerk, settings
):
    settings.KESU_ATTACHMENTS_PER_CASE = 1
    client.force_login(city_clerk)
    url = f"/complaints/{case.number}/attachments/"
    client.post(url, {"attachments": SimpleUploadedFile("a.png", PNG)})
    page = client.post(url, {"attachments": SimpleUploadedFile("b.png", PNG)},
                       follow=True)
    assert "最多 1 个附件" in page.content.decode()
    assert Attachment.objects.filter(complaint=case).count() == 1


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


@pytest.mark.parametrize(
    "name,entries",
    [
        ("evidence.zip", DOCX_PARTS),  # archives are not on the allow-list
        ("letter.docx", {"readme.txt": b"just a zip"}),  # a zip renamed .docx
        ("sheet.xlsx", DOCX_PARTS),  # a Word document renamed .xlsx
    ],
)
def test_archives_and_disguised_office_files_are_refused(
    client, case, city_clerk, name, entries
):
    client.force_login(city_clerk)
    response = upload(client, case, name, _zip(entries))
    assert response.status_code == 400 and response.json()["field"] == "file"
    assert not Attachment.objects.exists()


def test_an_office_file_that_unpacks_too_large_is_refused(
    client, case, city_clerk, monkeypatch
):
    monkeypatch.setattr(uploads, "OOXML_MAX_UNPACKED", 10_000)
    client.force_login(city_clerk)
    bomb = _zip(DOCX_PARTS | {"word/media/x.bin": b"\x00" * 50_000})
    assert len(bomb) < 1024
    response = upload(client, case, "letter.docx", bomb)
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_a_real_word_document_is_accepted(client, case, city_clerk):
    client.force_login(city_clerk)
    response = upload(client, case, "letter.docx", _zip(DOCX_PARTS))
    assert response.status_code == 201
