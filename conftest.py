"""Personas shared by every app's tests (STYLE.md): a small company tree
with a province that centralises claims and underwriting and one that does
not, and people in each role."""

import pytest
from hypothesis import HealthCheck, settings

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department, make_company

# C5: fails the run if any log line written during it holds a full ID/phone.
pytest_plugins = ["kesu.security.logscan"]

# Property tests judge behaviour, not speed: a loaded CI machine must not
# turn slow example generation into a failure.
settings.register_profile(
    "kesu", deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile("kesu")


def pytest_configure(config):
    # WhiteNoise warns on every client when collectstatic has not run yet
    from django.conf import settings as django_settings

    django_settings.STATIC_ROOT.mkdir(exist_ok=True)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush every table, including the reference data
    the migrations loaded (code tables, default assessment weights). Put it
    back before any test that uses the database, whatever ran before it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")
    from kesu.classification.loading import load_defaults
    from kesu.classification.models import CodeEntry
    from kesu.reports.models import AssessmentMetric

    if not CodeEntry.objects.exists():
        load_defaults(CodeEntry)
    if not AssessmentMetric.objects.exists():
        _seed_assessment_metrics()


def _seed_assessment_metrics():
    from importlib import import_module

    from django.apps import apps as global_apps

    module = import_module("kesu.reports.migrations.0002_default_assessment_metrics")
    module.seed(global_apps, None)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Calendar overrides are cached per process; a test's rolled-back
    overrides must not leak into the next test."""
    from kesu.sla import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(autouse=True)
def _fresh_code_tables():
    """Code entries are cached per process; a test's rolled-back codes must
    not leak into the next test."""
    from kesu.classification import selectors

    selectors.invalidate()
    yield
    selectors.invalidate()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the test's thread (the
    locale middleware activates a language, nothing deactivates it): what
    the next test names by default, such as a new company's departments
    (个险销售), must be in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_search_frequencies():
    """A word's frequency is kept per process for ten minutes; a test's
    rolled-back cases and statistics must not choose the next test's plan."""
    from kesu.complaints import search

    search.frequencies_forget()
    yield
    search.frequencies_forget()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The default cache (local memory in tests) outlives a test: what one
    test cached for a user (workbench reminders, dashboard figures) must not
    be read by the next test's user with the same id."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    ho = make_company("HO", "总公司")
    gd = make_company("GD", "广东分公司", ho, centralised=[K.UNDERWRITING, K.CLAIMS])
    gz = make_company("GDGZ", "广州分公司", gd)
    sz = make_company("GDSZ", "深圳分公司", gd)
    js = make_company("JS", "江苏分公司", ho, centralised=[])
    nj = make_company("JSNJ", "南京分公司", js)
    return {"ho": ho, "gd": gd, "gz": gz, "sz": sz, "js": js, "nj": nj}


@pytest.fixture
def city_clerk(org):
    return make_user("gz_clerk", org["gz"], [Role.CLERK],
                     department=department(org["gz"]), full_name="李受理")


@pytest.fixture
def city_handler(org):
    return make_user("gz_handler", org["gz"], [Role.HANDLER],
                     department=department(org["gz"]), full_name="王处理")


@pytest.fixture
def city_cs_head(org):
    return make_user("gz_cs_head", org["gz"], [Role.CS_HEAD],
                     department=department(org["gz"]), full_name="赵主任")


@pytest.fixture
def province_handler(org):
    return make_user("gd_handler", org["gd"], [Role.HANDLER],
                     department=department(org["gd"]), full_name="陈省处理")


@pytest.fixture
def province_cs_head(org):
    return make_user("gd_cs_head", org["gd"], [Role.CS_HEAD],
                     department=department(org["gd"]), full_name="孙省主任")


@pytest.fixture
def head_office_handler(org):
    return make_user("ho_handler", org["ho"], [Role.HANDLER, Role.CS_HEAD],
                     department=department(org["ho"]), full_name="周总处理")


@pytest.fixture
def claims_coordinator(org):
    return make_user("gd_claims", org["gd"], [Role.COORDINATOR],
                     department=department(org["gd"], K.CLAIMS), full_name="吴协调")


@pytest.fixture
def city_sales_coordinator(org):
    return make_user("gz_sales", org["gz"], [Role.COORDINATOR],
                     department=department(org["gz"], K.INDIVIDUAL_SALES),
                     full_name="郑协调")


@pytest.fixture
def committee_member(org):
    return make_user("gd_committee", org["gd"], [Role.COMMITTEE_MEMBER],
                     department=department(org["gd"]), full_name="冯委员")


@pytest.fixture
def management(org):
    return make_user("gd_manager", org["gd"], [Role.MANAGEMENT],
                     department=department(org["gd"], K.MANAGEMENT_OFFICE),
                     full_name="钱总经理")


@pytest.fixture
def outsider_in_another_province(org):
    return make_user("nj_handler", org["nj"], [Role.HANDLER, Role.CLERK],
                     department=department(org["nj"]), full_name="蒋外省")
