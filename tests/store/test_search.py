"""Arabic-aware search on both backends: folding, the article ال, phrases, ranking, filters, safety."""

from __future__ import annotations

import pytest
from sqlalchemy import text as sql

from store import search as search_module
from store.articles import save_article
from store.search import QueryError, SearchFilters, index_terms, parse_query, search
from tests.store.conftest import HOSPITAL_STORY, LIBRARY_STORY, WEATHER_STORY, Page, when


def add(store, url: str, text: str, title: str = "خبر", **fields) -> int:
    page = Page(url, text, title, **fields)
    with store() as session:
        return save_article(session, page.article(), url, page.raw(when(1)))[1].id


@pytest.fixture
def archive(store):
    ids = {
        "hospital": add(
            store, "https://alkarak.example/1", HOSPITAL_STORY, "افتتاح مستشفى الكرك", published=when(10)
        ),
        "library": add(
            store, "https://irbid.example/2", LIBRARY_STORY, "مكتبة عامة في إربد", published=when(12)
        ),
        "weather": add(
            store, "https://irbid.example/3", WEATHER_STORY, "طقس بارد", published=when(14), language="en"
        ),
    }
    return store, ids


def found(store, query: str, **filters) -> list[int]:
    with store() as session:
        return [hit.article_id for hit in search(session, query, SearchFilters(**filters))]


@pytest.mark.parametrize("spelling", ["مستشفى", "المستشفي", "مُسْتَشْفَى", "للمستشفى", "والمستشفى", "المستشفـــى"])
def test_spellings_of_a_word_find_each_other(archive, spelling):
    store, ids = archive
    assert found(store, spelling) == [ids["hospital"]]


def test_alef_forms_and_arabic_indic_digits_are_folded():
    assert index_terms("أعلنت إعلان آمال ١٢٣") == index_terms("اعلنت اعلان امال 123")


def test_a_bare_conjunction_is_not_stripped_from_a_word():
    # وزارة must stay itself: stripping و would index it as زارة.
    assert index_terms("وزارة والوزارة") == ["وزاره", "وزاره"]


def test_a_phrase_matches_only_adjacent_words(archive):
    store, ids = archive
    assert found(store, '"مكتبة عامة"') == [ids["library"]]
    assert found(store, '"عامة مكتبة"') == []


def test_every_word_of_a_query_must_match(archive):
    store, ids = archive
    assert found(store, "المكتبة الأطفال") == [ids["library"]]
    assert found(store, "المكتبة الضباب") == []


def test_a_minus_word_excludes_articles(archive):
    store, ids = archive
    assert set(found(store, "الأسبوع")) == {ids["library"], ids["weather"]}
    assert found(store, "الأسبوع -الضباب") == [ids["library"]]


def test_more_relevant_articles_rank_first(store):
    once = add(store, "https://a.example/1", WEATHER_STORY + "\nوزار وفد طبي المستشفى الميداني.")
    often = add(store, "https://a.example/2", HOSPITAL_STORY, "المستشفى الجديد")

    assert found(store, "المستشفى") == [often, once]


def test_filters_by_site_date_range_and_language(archive):
    store, ids = archive
    assert set(found(store, "الأسبوع", site="IRBID.example")) == {ids["library"], ids["weather"]}
    assert found(store, "الأسبوع", site="alkarak.example") == []
    assert found(store, "الأسبوع", since=when(13).date()) == [ids["weather"]]
    assert found(store, "الأسبوع", until=when(13).date()) == [ids["library"]]
    assert found(store, "الأسبوع", language="ar") == [ids["library"]]


def test_snippets_highlight_the_publishers_own_spelling(archive):
    store, _ = archive
    with store() as session:
        (hit,) = search(session, "مستشفى")
    highlighted = {hit.snippet[start:end] for start, end in hit.highlights}
    assert highlighted == {"المستشفى"}
    assert "المستشفى الجديد في مدينة الكرك" in hit.snippet


@pytest.mark.parametrize(
    "query",
    [
        '"المستشفى',
        'المستشفى "',
        "المستشفى*",
        "NEAR(المستشفى الكرك)",
        "المستشفى NEAR الكرك",
        "المستشفى AND OR NOT",
        "الكرك -المستشفى- -",
        "(المستشفى",
        "title:المستشفى",
        "المستشفى^2 {الكرك}",
        "'; DROP TABLE articles; --",
        "\\ المستشفى : ! & | <->",
    ],
)
def test_database_syntax_characters_never_cause_an_error(archive, query):
    store, _ = archive
    found(store, query)  # no exception is the specification


def test_a_query_without_words_is_a_clear_error():
    with pytest.raises(QueryError, match="no words"):
        parse_query('" * - ()')
    with pytest.raises(QueryError, match="only excludes"):
        parse_query("-المستشفى")


def test_an_updated_article_is_found_by_its_new_words_only(store):
    page = Page("https://alkarak.example/1", HOSPITAL_STORY, "افتتاح مستشفى")
    with store() as session:
        article_id = save_article(session, page.article(), page.url, page.raw(when(1)))[1].id
    page.text = WEATHER_STORY
    page.title = "طقس بارد"
    with store() as session:
        save_article(session, page.article(), page.url, page.raw(when(2)))

    assert found(store, "المستشفى") == []
    assert found(store, "مستشفى") == []
    assert found(store, "الضباب") == [article_id]
    assert found(store, '"طقس بارد"') == [article_id]


def test_a_diacritised_word_is_highlighted_whole(store):
    add(store, "https://a.example/1", HOSPITAL_STORY.replace("المستشفى الجديد", "المُسْتَشْفَى الجديد"))

    with store() as session:
        (hit,) = search(session, "مستشفى الكرك")
    highlighted = [hit.snippet[start:end] for start, end in hit.highlights]
    assert "المُسْتَشْفَى" in highlighted and "الكرك" in highlighted


def test_a_query_matching_more_than_the_rank_window_ranks_the_newest_matches(store, monkeypatch):
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    best_but_oldest = add(store, "https://a.example/1", HOSPITAL_STORY, "المستشفى المستشفى")
    newer = [add(store, f"https://s{i}.example/{i}", WEATHER_STORY + "\nزار الوفد المستشفى.") for i in (2, 3)]

    assert sorted(found(store, "المستشفى")) == newer
    assert best_but_oldest in found(store, "الكرك")


def test_the_newest_matches_are_found_when_other_articles_came_between_them(store, monkeypatch):
    # PostgreSQL looks for the window among the newest ids first and widens the range until it holds
    # the window: here the newest RANK_WINDOW ids hold one match, and the next range only two.
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    best_but_oldest = add(store, "https://a.example/1", HOSPITAL_STORY, "المستشفى المستشفى")
    visit = WEATHER_STORY + "\nزار الوفد المستشفى."
    older = add(store, "https://b.example/2", visit)
    for i in range(3, 9):
        add(store, f"https://a.example/{i}", LIBRARY_STORY + f"\nالزيارة رقم {i}.")
    newer = add(store, "https://c.example/9", visit)

    assert sorted(found(store, "المستشفى")) == [older, newer]
    assert found(store, "المستشفى الكرك") == [best_but_oldest]


def test_on_postgresql_the_newest_matches_are_read_from_the_newest_blocks_of_ids(store, monkeypatch):
    # Articles far apart in ids: the window is read from the newest block, then the next older
    # block, and the oldest block (the best match) is never read.
    with store() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("blocks of ids are terms of PostgreSQL's index only")
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)

    def add_as(article_id: int, url: str, text: str, title: str = "خبر") -> int:
        with store.begin() as session:
            session.execute(sql("SELECT setval('articles_id_seq', :id, false)"), {"id": article_id})
        return add(store, url, text, title)

    block = 2**search_module.ID_BLOCK_BITS
    visit = WEATHER_STORY + "\nزار الوفد المستشفى."
    best_but_oldest = add_as(1, "https://a.example/1", HOSPITAL_STORY, "المستشفى المستشفى")
    older = add_as(3 * block + 5, "https://b.example/2", visit)
    add_as(4 * block + 5, "https://a.example/3", LIBRARY_STORY)
    newer = add_as(4 * block + 500, "https://c.example/4", visit)

    assert sorted(found(store, "المستشفى")) == [older, newer]
    assert found(store, "المستشفى الكرك") == [best_but_oldest]


def test_on_postgresql_the_index_keeps_few_new_entries_aside_for_every_search_to_read(store):
    # GIN's pending list is read whole by every search; at the server's 4 MB default it cost each
    # search of a 100,000-article archive about 2 ms.
    with store() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("a pending list is PostgreSQL's GIN index's own")
        options = session.scalar(
            sql(
                "SELECT reloptions FROM pg_class WHERE relname = 'ix_article_search_document'"
                " AND relnamespace = current_schema()::regnamespace"
            )
        )

    assert "gin_pending_list_limit=512" in options


def test_a_site_filtered_query_matching_more_than_the_rank_window_ranks_the_sites_newest_matches(
    store, monkeypatch
):
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    visit = WEATHER_STORY + "\nزار الوفد المستشفى."
    oldest_on_site = add(store, "https://alkarak.example/1", HOSPITAL_STORY, "المستشفى المستشفى")
    newer_on_site = [add(store, f"https://alkarak.example/{i}", f"{visit}\nالزيارة رقم {i}.") for i in (2, 3)]
    add(store, "https://irbid.example/4", visit)

    assert sorted(found(store, "المستشفى", site="alkarak.example")) == newer_on_site
    assert oldest_on_site in found(store, "الكرك", site="alkarak.example")


def test_a_date_range_ranks_every_match_in_the_range_whatever_the_rank_window(store, monkeypatch):
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    visit = WEATHER_STORY + "\nزار الوفد المستشفى."
    best_but_oldest = add(
        store, "https://a.example/1", HOSPITAL_STORY, "المستشفى المستشفى", published=when(10)
    )
    for i in (2, 3):
        add(store, f"https://s{i}.example/{i}", visit, published=when(10 + i))

    assert found(store, "المستشفى", since=when(1).date())[0] == best_but_oldest


def test_an_article_whose_language_changes_is_found_under_its_new_language_only(store):
    page = Page("https://alkarak.example/1", HOSPITAL_STORY, "افتتاح مستشفى", language="ar")
    with store() as session:
        article_id = save_article(session, page.article(), page.url, page.raw(when(1)))[1].id
    page.language = "fa"
    with store() as session:
        save_article(session, page.article(), page.url, page.raw(when(2)))

    assert found(store, "المستشفى", language="fa") == [article_id]
    assert found(store, "المستشفى", language="ar") == []
