"""Figures and activities read right in `show`: measure label, unit and value for people; breakdowns marked."""

import pytest


@pytest.mark.parametrize("value,unit,expected", [(108874.5, "EUR", "EUR 108,874.50"),
                                                 (2.5, "full-time posts", "2.5 full-time posts"),
                                                 (190, None, "190"), (1234567, "persons", "1,234,567 persons")])
def test_quantities_are_written_for_people(value, unit, expected):
    from graph.render.facts import format_quantity

    assert format_quantity(value, unit) == expected


def test_an_article_prints_with_its_act():
    from graph.render.facts import article_title

    assert article_title("Article 19", "Directive 2011/36/EU of 5 April 2011 on preventing and combating trafficking "
                                       "in human beings and protecting its victims") == "Article 19, Directive 2011/36/EU"
    assert article_title("Article 10", "Amended Law of 8 May 2009 on assistance") == "Article 10, Amended Law of 8 May 2009"


def test_show_prints_a_budget_in_euros(invoke):
    out = invoke("show", "ICMPD").output
    assert "budget (EUR): EUR 108,874.50 (2019)" in out
    assert "e+05" not in out


def test_show_tells_the_two_twenty_sixes_apart(invoke):
    out = invoke("show", "CCDH").output
    assert "sentences: 26 persons (EU citizens) (2013–2022; part of a total, by nationality of the persons)" in out
    assert "sentences: 26 fully suspended sentences (2013–2022; part of a total, by suspension of the sentence)" in out
    assert "sentences: 48 cases (2013–2022)" in out


def test_show_lists_the_activities_an_actor_organised_or_attended(invoke):
    out = invoke("show", "ITM").output
    assert "Activities (" in out
    assert "organised: Information booklet on labour law for people fleeing the war in Ukraine (publication, 2022-03)" in out
    assert "attended: Basic training course on trafficking in human beings in Luxembourg" in out


def test_campaign_participants_are_not_member_countries(invoke):
    out = invoke("show", "EUCPN").output
    assert "participating countries: 24 participating countries (2019)" in out
    assert "member countries" not in out
