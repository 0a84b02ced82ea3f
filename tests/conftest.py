"""Personas shared by every app's tests (see STYLE.md): a NACC admin, an assessor of group A
(Bueng Kan, Nong Khai), the coordinator of Bueng Kan, a district officer of Mueang Bueng Kan,
the admin, executive and officer of agency A (in Bueng Kan), and an outsider: the admin of
agency B in Chiang Mai, who must see nothing of A."""

import shutil
from types import SimpleNamespace

import pytest
from django.db.backends.base.creation import BaseDatabaseCreation

from itas.core.roles import Function, Role
from itas.geo.models import District, Province
from tests.factories import AgencyFactory, AssessorGroupFactory, UserFactory, grant


def _restore_over_post_migrate_rows(original):
    """A transactional test without serialized_rollback ends with a flush that fires
    post_migrate, which recreates content types and permissions under new ids; the next
    serialized_rollback test then restores the migrated rows over them and fails on their
    unique keys (pytest-xdist's file order decides which tests meet). Clear what post_migrate
    made before restoring, and the content-type cache that still holds the new ids."""

    def deserialize(self, data):
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        using = self.connection.alias
        Permission.objects.using(using).all().delete()
        ContentType.objects.using(using).all().delete()
        ContentType.objects.clear_cache()
        original(self, data)
        ContentType.objects.clear_cache()

    return deserialize


BaseDatabaseCreation.deserialize_db_from_string = _restore_over_post_migrate_rows(
    BaseDatabaseCreation.deserialize_db_from_string
)


def pytest_collection_modifyitems(config, items):
    """The files that hold a test marked `slow` are collected first, the rest keeps
    pytest-django's order. `make test` runs two workers that take whole files in collection
    order (--dist loadfile --no-loadscope-reorder; by default xdist hands out the files with
    the most tests first): the accessibility crawl, one test of about 280 of the suite's 930
    test-seconds, was handed out near the end and ran on alone for two and a half minutes
    after the other worker had finished."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = False
    # Fast hashing in tests: the personas alone cost seconds per test with PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The tests of one worker share one in-process cache: rate-limit counters (the unknown-code
    guesses of 127.0.0.1, say) and cached pages of one test must not reach the next."""
    from django.core.cache import cache

    from itas.core import cacheguard

    cache.clear()
    cacheguard.reset()


def ensure_geography() -> None:
    """Provinces and districts come from a data migration; a transactional test (e2e) empties
    every table when it ends, so load them again when they are gone."""
    if not Province.objects.exists():
        import importlib

        from django.apps import apps

        importlib.import_module("itas.geo.migrations.0002_load_geothai").load(apps, None)
        importlib.import_module("itas.geo.migrations.0003_thai_sort_keys").fill(apps, None)


@pytest.fixture(autouse=True)
def _geography(request, django_db_blocker):
    """Every test that touches the database finds the geography of the data migration, even
    after a transactional test (e2e) has flushed every table.

    For a test inside a transaction the geography is loaded before that transaction begins,
    and kept: loaded inside it, it was rolled back with the test and loaded again by the next,
    most of a second for every test that ran on a worker after a flush."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if not marker and not names & {"db", "transactional_db", "live_server"}:
        return
    transactional = names & {"transactional_db", "live_server"} or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        ensure_geography()
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        ensure_geography()
    request.getfixturevalue("db")


@pytest.fixture
def bueng_kan(db):
    ensure_geography()
    return Province.objects.get(code="38")


@pytest.fixture
def world(db):
    """Two agencies in different provinces and one person per role."""
    ensure_geography()
    bk = Province.objects.get(code="38")
    nk = Province.objects.get(code="43")
    cm = Province.objects.get(code="50")
    mueang_bk = District.objects.get(code="3801")
    group_a = AssessorGroupFactory(name="กลุ่ม A")
    group_a.provinces.set([bk, nk])
    group_b = AssessorGroupFactory(name="กลุ่ม B")
    group_b.provinces.set([cm])
    agency_a = AgencyFactory(
        code="5380101", kind="tambon_municipality", name="ท่าสะอาด", province=bk, district=mueang_bk
    )
    agency_b = AgencyFactory(
        code="6500101",
        kind="sao",
        name="ทดสอบเชียงใหม่",
        province=cm,
        district=District.objects.filter(province=cm).first(),
    )

    def person(email, role=None, **scope):
        user = UserFactory(email=email)
        if role:
            grant(user, role, **scope)
        return user

    return SimpleNamespace(
        province=bk,
        other_province=cm,
        district=mueang_bk,
        group_a=group_a,
        group_b=group_b,
        agency=agency_a,
        other_agency=agency_b,
        nacc=person("nacc@example.org", Role.NACC_ADMIN),
        assessor=person("assessor@example.org", Role.ASSESSOR, assessor_group=group_a),
        other_assessor=person("assessor-b@example.org", Role.ASSESSOR, assessor_group=group_b),
        coordinator=person("coord@example.org", Role.PROVINCE_COORDINATOR, province=bk),
        district_officer=person("district@example.org", Role.DISTRICT_OFFICER, district=mueang_bk),
        agency_admin=person("admin@example.org", Role.AGENCY_ADMIN, agency=agency_a),
        executive=person("exec@example.org", Role.AGENCY_EXECUTIVE, agency=agency_a),
        officer=person(
            "officer@example.org", Role.AGENCY_OFFICER, agency=agency_a, function=Function.WEBSITE
        ),
        outsider=person("outsider@example.org", Role.AGENCY_ADMIN, agency=agency_b),
        nobody=person("nobody@example.org"),
    )


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")
