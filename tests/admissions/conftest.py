import pytest
from django.core.cache import cache
from django.test import Client

from admissions import roles
from tests.admissions.factories import staff_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 at Django's production cost takes ~0.4 s per hash; tests do not need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # axes lockouts and rate limits live in the cache
    yield
    cache.clear()


@pytest.fixture
def coordinator(db):
    return staff_user("casey", roles.ADMISSIONS, first_name="Casey", last_name="Lee")


@pytest.fixture
def lead(db):
    return staff_user("lena", roles.CLINICAL_LEAD)


@pytest.fixture
def editor(db):
    return staff_user("eddie", roles.DIRECTORY_EDITORS)


@pytest.fixture
def plain_staff(db):
    return staff_user("pat")


@pytest.fixture
def superuser(db):
    return staff_user("root", superuser=True)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def lead_client(lead):
    client = Client()  # its own client, so a test can use it beside coordinator_client
    client.force_login(lead)
    return client
