"""The OpenAPI document and its viewer are served by the app, offline."""

import re


def test_openapi_document_is_served(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["info"]["title"] == "kesu API"
    assert "/api/complaints/" in doc["paths"]


def test_docs_page_loads_no_asset_from_the_internet(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
