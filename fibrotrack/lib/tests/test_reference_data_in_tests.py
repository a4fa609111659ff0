"""The test run loads the reference data once, and every database test sees it.

The root conftest loads it after creating the test database. Plain ``db``
tests roll back, so they keep it; a transactional test ends by flushing every
table, and the flush's ``post_migrate`` loads it again for the tests after it.
"""

import unittest

import pytest
from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from fibrotrack.accounts.models import User
from fibrotrack.community.models import SupportGroup
from fibrotrack.diary.models import Tag
from fibrotrack.lib.reference import load_all
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.treatments.models import Treatment


def assert_reference_data_is_in_place():
    assert Tag.objects.filter(user=None, key="stress").exists()
    assert Treatment.objects.filter(user=None, key="duloxetine").exists()
    assert SupportGroup.objects.filter(slug="sleep").exists()
    # Every loader writes only what is missing or changed: finding nothing to
    # write means every loader's data is already there, not only the three above.
    with CaptureQueriesContext(connection) as queries:
        load_all()
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


@pytest.mark.django_db
def test_a_plain_database_test_sees_the_reference_data():
    assert_reference_data_is_in_place()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_after_another_one_sees_the_reference_data():
    assert_reference_data_is_in_place()

    class EarlierTransactionalTest(TransactionTestCase):
        def test_it_writes(self):
            UserFactory(email="earlier@example.org")

    # Run a whole transactional test first, with Django's own set-up and
    # teardown: its teardown flushes every table, as each transactional test's does.
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(EarlierTransactionalTest).run(result)
    assert result.wasSuccessful(), result.errors + result.failures
    assert result.testsRun == 1

    assert not User.objects.filter(email="earlier@example.org").exists()  # it was flushed
    assert_reference_data_is_in_place()


def test_a_test_that_asks_for_no_database_gets_none():
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        Tag.objects.exists()
