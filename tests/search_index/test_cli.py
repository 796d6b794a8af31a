"""``prepdeck search`` end to end through the front door, in an isolated PREPDECK_HOME."""

from __future__ import annotations

import msgspec

import prepdeck
from search_index import SearchResult


def test_search_prints_a_ranked_list_with_snippets(capsys):
    assert prepdeck.main(["search", "databse shardng", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1-3 of ")
    assert "did you mean: database sharding" in out
    assert "mercor/how-do-you-handle-database-scaling" in out
    assert "<mark>" not in out


def test_search_json_is_a_search_result(capsys):
    assert prepdeck.main(["search", "cache invalidation", "--json", "--limit", "2"]) == 0
    result = msgspec.json.decode(capsys.readouterr().out, type=SearchResult)
    assert result.limit == 2 and len(result.hits) == 2
    assert result.hits[0].highlights.title


def test_search_filters_by_guide_and_topic(capsys):
    args = ["search", "cache", "--topic", "mercor/caching-streaming", "--json"]
    assert prepdeck.main(args) == 0
    result = msgspec.json.decode(capsys.readouterr().out, type=SearchResult)
    assert result.total > 0
    assert {f.value for f in result.facets["topic"]} <= {
        "mercor/caching-streaming",
        "mercor/caching-patterns",
        "mercor/cache-invalidation",
        "mercor/real-time-communication",
    }


def test_a_bad_query_is_one_error_line_and_exit_2(capsys):
    assert prepdeck.main(["search", "*"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_a_long_bad_query_is_echoed_cut_short(capsys):
    assert prepdeck.main(["search", "a" * 10_000]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 200 and "…" in err


def test_an_unknown_guide_or_bad_limit_is_exit_2(capsys):
    assert prepdeck.main(["search", "cache", "--guide", "nope"]) == 2
    assert prepdeck.main(["search", "cache", "--limit", "500"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("error: ") for line in err)


def test_no_results_says_so(capsys):
    assert prepdeck.main(["search", "zebra giraffe"]) == 0
    assert "no results for 'zebra giraffe'" in capsys.readouterr().out


def test_like_lists_the_questions_most_like_one(capsys):
    args = ["search", "--like", "mercor/how-do-you-handle-database-scaling", "--json"]
    assert prepdeck.main(args) == 0
    result = msgspec.json.decode(capsys.readouterr().out, type=SearchResult)
    assert result.query == "mercor/how-do-you-handle-database-scaling"
    assert result.hits and result.query not in [h.id for h in result.hits]
    assert prepdeck.main(["search", "--like", "mercor/how-do-you-handle-database-scaling"]) == 0
    assert "results like mercor/how-do-you-handle-database-scaling" in capsys.readouterr().out


def test_like_an_unknown_id_or_with_a_query_is_exit_2(capsys):
    assert prepdeck.main(["search", "--like", "mercor/nope"]) == 2
    assert capsys.readouterr().err == "error: --like: no question or topic 'mercor/nope'\n"
    assert prepdeck.main(["search", "--like", "x" * 5000]) == 2
    assert len(capsys.readouterr().err) < 200  # a long id is echoed cut short
    assert prepdeck.main(["search", "cache", "--like", "mercor/nope"]) == 2
    assert prepdeck.main(["search"]) == 2
    assert "give a QUERY or --like ID" in capsys.readouterr().err


def test_synonyms_beside_the_guides_apply_and_hits_say_so(capsys, tmp_path):
    guide = tmp_path / "g.md"
    guide.write_text(
        '## Ops\n\n<AccordionGroup>\n<Accordion title="How do you drain a node?">\n'
        "**Answer:** Cordon it, then evict its pods.\n</Accordion>\n</AccordionGroup>\n",
        encoding="utf-8",
    )
    (tmp_path / "synonyms.yaml").write_text("- wind down => drain\n", encoding="utf-8")
    assert prepdeck.main(["search", "wind down", "--guides", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "How do you drain a node?  (also: drain)" in out
    (tmp_path / "synonyms.yaml").write_text("- just one\n", encoding="utf-8")
    assert prepdeck.main(["search", "wind down", "--guides", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "synonyms.yaml: rule 1" in err
