"""The result page's clinical extras of issue 9: naloxone information for opioid use."""

import pytest

pytestmark = pytest.mark.django_db


def result_html(client, submission) -> str:
    response = client.get(submission.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_opioid_use_shows_naloxone_information(client, make_submission):
    submission = make_submission(drug_screen=2, opioids=1, overdose=0)
    assert "opioid_use" in [flag["code"] for flag in submission.flags]
    html = result_html(client, submission)
    assert 'aria-labelledby="naloxone-title"' in html
    assert "Naloxone (Narcan) can save a life" in html
    assert 'href="tel:911"' in html
    assert "style=" not in html.split('id="naloxone-title"')[1].split("</section>")[0]


def test_no_naloxone_section_without_opioid_use(client, make_submission):
    html = result_html(client, make_submission(drug_screen=1, opioids=0, overdose=0))
    assert "naloxone-title" not in html
