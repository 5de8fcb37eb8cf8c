"""The end-to-end journey through the UI (issue 4): a clerk registers a
complaint, a handler accepts and dispatches it, the department's coordinator
answers with evidence, the handler replies and closes it."""

import pytest
from playwright.sync_api import expect

from kesu.accounts.tests.factories import PASSWORD
from kesu.complaints.models import Complaint, State

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALID_ID = "11010519491231002X"  # GB 11643 sample with a correct check digit
WRONG_ID = "110105194912310021"


# After a click that loads the next page, assertions go through expect(),
# which retries: the click returns before the old page has gone.


def open_action(page, action: str):
    page.locator(f"details[data-action={action}] > summary").click()
    return page.locator(f"details[data-action={action}] form")


def register_complaint(page, shot) -> str:
    page.click("nav >> text=登记投诉")
    page.fill("#id_name", "张三")
    page.fill("#id_id_number", WRONG_ID)
    page.fill("#id_phone", "13812345678")
    page.fill("#id_address", "广东省广州市天河区体育西路1号")
    page.select_option("#id_channel", "phone")
    page.fill("#id_policy_number", "P4401202400001")
    page.select_option("#id_product_type", index=1)
    page.select_option("#id_business_category", "sales")
    page.fill("#id_facts", "业务员销售时承诺保单三年可保本退保，实际退保损失较大。")
    page.fill("#id_demand", "要求全额退还已交保费。")
    page.set_input_files(
        "#id_attachments",
        files=[
            {
                "name": "保单首页.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ],
    )
    page.click("#intake-form button[type=submit]")
    # The wrong check digit is shown next to the field; nothing typed is lost.
    error = page.locator("#field-id_number .errorlist")
    assert "校验位" in error.inner_text()
    assert page.input_value("#id_facts").startswith("业务员销售时承诺")
    assert "保单首页.pdf" in page.locator("[data-testid=kept-files]").inner_text()
    shot("10-intake-error")
    page.fill("#id_id_number", VALID_ID)
    page.click("#intake-form button[type=submit]")
    page.wait_for_url("**/complaints/TS-*/")
    number = page.locator("[data-testid=complaint-number]").inner_text()
    assert "保单首页.pdf" in page.locator("[data-testid=attachments]").inner_text()
    # The complainant is masked on the page.
    assert VALID_ID not in page.content()
    shot("11-registered")
    return number


def test_clerk_handler_coordinator_take_a_complaint_from_intake_to_closed(
    page, shot, city_clerk, city_handler, city_sales_coordinator
):
    login(page, "gz_clerk", PASSWORD)
    number = register_complaint(page, shot)
    assert Complaint.objects.get(number=number).state == State.REGISTERED

    # The handler sees it waiting for acceptance, accepts and dispatches it.
    login(page, "gz_handler", PASSWORD)
    assert number in page.locator("[data-testid=queue-new]").inner_text()
    shot("20-handler-workbench")
    page.click(f"[data-testid=queue-new] >> text={number}")
    form = open_action(page, "accept")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=complaint-state]")).to_have_text("已受理")
    form = open_action(page, "dispatch")
    form.locator("select[name=dispatch-department]").select_option(label="个险销售")
    form.locator("textarea[name=dispatch-instructions]").fill(
        "请核实业务员销售过程及录音。"
    )
    shot("21-dispatch-form")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=complaint-state]")).to_have_text("调查中")
    expect(page.locator("[data-testid=investigations]")).to_contain_text("个险销售")

    # The coordinator answers from the department view, with evidence.
    login(page, "gz_sales", PASSWORD)
    page.click("nav >> text=部门调查")
    assert number in page.locator("[data-testid=investigations]").inner_text()
    shot("30-coordinator-list")
    page.click("a.btn:has-text('反馈调查结果') >> nth=0")
    page.fill("#id_answer-finding", "经调取双录资料，业务员确有夸大收益的表述。")
    page.fill("#id_answer-proposed_resolution", "建议按已交保费全额退保。")
    page.set_input_files(
        "#id_evidence",
        files=[
            {
                "name": "双录截图.png",
                "mimeType": "image/png",
                "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
            }
        ],
    )
    shot("31-coordinator-answer")
    page.click("button:has-text('提交调查结果')")
    page.wait_for_url("**/investigations/")
    assert "已反馈" in page.locator(".messages").inner_text()

    # The handler replies and closes.
    login(page, "gz_handler", PASSWORD)
    page.goto(f"/complaints/{number}/")
    assert page.locator("[data-testid=complaint-state]").inner_text() == "审核中"
    assert "夸大收益" in page.locator("[data-testid=investigations]").inner_text()
    form = open_action(page, "reply")
    form.locator("textarea[name=reply-findings]").fill(
        "业务员销售时存在夸大收益的情况。"
    )
    form.locator("textarea[name=reply-basis]").fill(
        "依据《保险法》及公司销售管理规定。"
    )
    form.locator("textarea[name=reply-result]").fill("同意全额退还已交保费。")
    form.locator("select[name=reply-delivery_method]").select_option("phone")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=complaint-state]")).to_have_text("已答复")
    shot("40-replied")
    form = open_action(page, "close")
    form.locator("select[name=close-liability]").select_option("liable")
    form.locator("select[name=close-responsible_link]").select_option("sales")
    form.locator("select[name=close-cause]").select_option("mis_selling")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=complaint-state]")).to_have_text("已结案")
    timeline = page.locator("[data-testid=timeline]").inner_text()
    for step in ("受理", "转办调查", "反馈调查结果", "答复投诉人", "结案"):
        assert step in timeline
    shot("41-closed")
    assert Complaint.objects.get(number=number).state == State.CLOSED
    assert not page.js_errors, page.js_errors
