"""PETRARCH-format reader and the PETRARCH-style coder (own toy dictionaries and trees), plus the
validation suite run in place from ../shared."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.events.coder import CoderOptions, Dictionaries, code_tree, combine, parse_tree
from khabar.events.ud import conllu_tree
from khabar.events.petrarch import (parse_dated, read_actors, read_agents, read_discards, read_issues,
                                    read_records, read_verbs, regular_forms)

ROOT = Path(__file__).resolve().parents[1]

VERBS = """<!-- toy verbs -->
&TIES
+TRADE
+CULTURAL

--- VISIT [042:043] ---
VISIT
TOUR {TOURED}

--- RESTORE [064] ---
RESTORE
- * &TIES TIES [061]
- SAID_NOT * [111]

--- SAY [---] ---
SAY {SAID}

--- ACCUSE [112] ---
ACCUSE
WIRE_+TAP {WIRE_+TAPPED}
- WILL NOT * [081]
- * WITH % [031]
- % * WITH [030]
- * FXLL [+++]
"""
ACTORS = """ZORLAND [ZOR]
+ZORLANDI
QUIXIA [QUX]
VELMAR
\t[VLMGOV 20100101-20151231]
\t[VLMELI >20151231]
THE_ISLES [ISL/IST]
"""
AGENTS = """!PERS! = MAN, MEN
MINISTER [~GOV]
ARMY {} [~MIL]
AID_GROUP [NGO~]
BANDIT!PERS! [~CRM]
"""


@pytest.fixture()
def dicts(tmp_path: Path) -> Dictionaries:
    for name, text in (("v.txt", VERBS), ("a.txt", ACTORS), ("g.txt", AGENTS), ("d.txt", "FOOTBALL MATCH\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return Dictionaries(read_verbs(tmp_path / "v.txt"), read_actors([tmp_path / "a.txt"]),
                        read_agents(tmp_path / "g.txt"), read_discards(tmp_path / "d.txt"))


def triples(tree: str, dicts: Dictionaries, date: int = 20200101,
            options: CoderOptions | None = None) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.code) for e in code_tree(tree, date, dicts, options)}


def test_reader_structures(dicts: Dictionaries) -> None:
    forms = dicts.verbs.lookup("toured")
    assert forms and forms[0].code == "042:043"
    assert dicts.verbs.lookup("VISITED") and dicts.verbs.lookup("RESTORING")
    assert dicts.verbs.synsets["&TIES"] == [("TRADE",), ("CULTURAL",)]
    assert dicts.agents.match(["BANDITMEN"], 0) == (1, "~CRM")
    assert dicts.agents.match(["ARMIES"], 0) is None  # {} = no plural
    assert dicts.agents.match(["MINISTERS"], 0) == (1, "~GOV")


def test_dated_codes(dicts: Dictionaries) -> None:
    hit = dicts.actors.match(["VELMAR"], 0)
    assert hit is not None
    assert hit[1].code_on(20120505) == "VLMGOV"
    assert hit[1].code_on(20170101) == "VLMELI"
    assert hit[1].code_on(19990101) is None
    assert parse_dated("HOB < 950601").end == 19950531 or parse_dated("HOB < 950601").end < 19950601
    assert parse_dated("X 100109-100112").start == 20100109


def test_regular_forms() -> None:
    assert regular_forms("AGREE") == ["AGREE", "AGREES", "AGREED", "AGREEING"]
    assert regular_forms("RESTORE")[-1] == "RESTORING"
    assert "CARRIED" in regular_forms("CARRY") and "PUSHES" in regular_forms("PUSH")


def test_simple_paired_visit(dicts: Dictionaries) -> None:
    tree = "(ROOT (S (NP (NNP Zorland)) (VP (VBD visited) (NP (NNP Quixia))) (. .)))"
    assert triples(tree, dicts) == {("ZOR", "QUX", "042"), ("QUX", "ZOR", "043")}


def test_pattern_with_synset_beats_verb_code(dicts: Dictionaries) -> None:
    tree = ("(ROOT (S (NP (NNP Zorland)) (VP (VBD restored) (NP (NN trade) (NNS ties)) "
            "(PP (IN with) (NP (NNP Quixia)))) (. .)))")
    assert triples(tree, dicts) == {("ZOR", "QUX", "061")}
    plain = "(ROOT (S (NP (NNP Zorland)) (VP (VBD restored) (NP (NNS ties)) (PP (IN with) (NP (NNP Quixia))))))"
    assert triples(plain, dicts) == {("ZOR", "QUX", "064")}


def test_agent_and_actor_combine_and_compounds(dicts: Dictionaries) -> None:
    tree = ("(ROOT (S (NP (NP (NNP Zorland) (POS 's)) (NN minister)) (VP (VBD visited) "
            "(NP (NNP Quixia) (CC and) (NNP Velmar))) (. .)))")
    got = triples(tree, dicts, 20120101)
    assert ("ZORGOV", "QUX", "042") in got and ("ZORGOV", "VLMGOV", "042") in got
    assert ("VLMGOV", "ZORGOV", "043") in got
    assert combine("ZOR", "NGO~") == "NGOZOR" and combine("ZORGOV", "~GOV") == "ZORGOV"


def test_agent_owner_from_of_phrase_and_slash_codes(dicts: Dictionaries) -> None:
    tree = ("(ROOT (S (NP (NP (DT The) (NN army)) (PP (IN of) (NP (NNP Quixia)))) "
            "(VP (VBD visited) (NP (DT the) (NNP Isles)))))")
    assert triples(tree, dicts) >= {("QUXMIL", "ISL", "042"), ("QUXMIL", "IST", "042")}


def test_negation_blocks_the_verb_code(dicts: Dictionaries) -> None:
    tree = "(ROOT (S (NP (NNP Zorland)) (VP (VBD did) (RB not) (VP (VB visit) (NP (NNP Quixia))))))"
    assert triples(tree, dicts) == set()


def test_negation_pattern_codes(dicts: Dictionaries) -> None:
    tree = ("(ROOT (S (NP (NNP Zorland)) (VP (VBD said) (RB not) (VP (VB restore) (NP (NNS ties)) "
            "(PP (IN with) (NP (NNP Quixia)))))))")
    # 'said not' is a pattern ("SAID_NOT *"), so the negated verb is still coded, with that code
    assert ("ZOR", "QUX", "111") in triples(tree, dicts)


def test_reciprocal_compound_subject(dicts: Dictionaries) -> None:
    tree = "(ROOT (S (NP (NNP Zorland) (CC and) (NNP Quixia)) (VP (VBD restored) (NP (NNS ties)))))"
    assert triples(tree, dicts) == {("ZOR", "QUX", "064"), ("QUX", "ZOR", "064")}


def test_discards_and_unknown_verbs(dicts: Dictionaries) -> None:
    tree = ("(ROOT (S (NP (NNP Zorland)) (VP (VBD visited) (NP (NNP Quixia)) "
            "(PP (IN for) (NP (DT a) (NN football) (NN match))))))")
    assert triples(tree, dicts) == set()
    assert triples("(ROOT (S (NP (NNP Zorland)) (VP (VBD ate) (NP (NNP Quixia)))))", dicts) == set()


def test_bad_parse_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_tree("(ROOT (S (NP x)")


def test_issues_reader(tmp_path: Path) -> None:
    p = tmp_path / "i.txt"
    p.write_text('<ISSUE CATEGORY="X">\nn:school [SCHOOLS]\nhead start [EARLY]\n~a head start\n', encoding="utf-8")
    assert read_issues(p) == {("SCHOOL",): "SCHOOLS", ("HEAD", "START"): "EARLY"}


def test_passive_by_agent_is_the_source(dicts: Dictionaries) -> None:
    tree = ("(ROOT (S (NP (NNP Zorland)) (VP (VBD was) (VP (VBN accused) (ADVP (RB again) "
            "(PP (IN by) (NP (NNP Quixia)))))) (. .)))")
    assert triples(tree, dicts) == {("QUX", "ZOR", "112")}
    active = "(ROOT (S (NP (NNP Zorland)) (VP (VBD was) (VP (VBN accused) (PP (IN over) (NP (NNP Quixia)))))))"
    assert triples(active, dicts) == {("ZOR", "QUX", "112")}  # no by-agent: read as active


def test_pronoun_subject_and_deep_target(dicts: Dictionaries) -> None:
    tree = ("(ROOT (S (NP (NNP Zorland)) (VP (VBD said) (SBAR (S (NP (PRP it)) (VP (MD would) "
            "(VP (VB accuse) (NP (NNS leaders)) (SBAR (IN that) (S (NP (NNP Quixia)) (VP (VBD ate)))))))))))")
    assert triples(tree, dicts) == {("ZOR", "QUX", "112")}


def test_compound_markers_and_placeholder_codes(dicts: Dictionaries) -> None:
    both = "(ROOT (S (NP (NNP Zorland) (CC and) (NNP Quixia)) (VP (VBD accused) (PP (IN with) (NP (NN zeal))))))"
    assert triples(both, dicts) == {("ZOR", "QUX", "030"), ("QUX", "ZOR", "030")}
    upper = ("(ROOT (S (NP (NNP Velmar)) (VP (VBD accused) (PP (IN with) (NP (NP (NNP Zorland)) (CC and) "
             "(NP (NNP Quixia)))))))")
    assert triples(upper, dicts, 20120101) == {("VLMGOV", "ZOR", "031"), ("VLMGOV", "QUX", "031")}
    fake = "(ROOT (S (NP (NNP Velmar)) (VP (VBD accused) (NP (JJ fxll) (NNP Quixia)))))"
    assert triples(fake, dicts, 20120101) == {("VLMGOV", "QUX", "112")}  # [+++] never fires


def test_multiword_verb_with_word_before_and_negation_pattern(dicts: Dictionaries) -> None:
    tree = ("(ROOT (S (NP (NNP Zorland)) (VP (MD will) (RB not) (VP (VB wire) (VP (VB tap) "
            "(NP (NNP Quixia)))))))")
    assert triples(tree, dicts) == {("ZOR", "QUX", "081")}


def test_flat_coordination_shares_actor_and_agents(dicts: Dictionaries) -> None:
    tree = ("(ROOT (S (NP (NNP Zorland) (NN aid) (NN group) (NN minister) (CC and) (NN army)) "
            "(VP (VBD accused) (NP (NNP Quixia)))))")
    got = triples(tree, dicts)
    assert got == {("NGOZORGOV", "QUX", "112"), ("NGOZORMIL", "QUX", "112")}


def test_options_require_dyad_and_new_actors(dicts: Dictionaries) -> None:
    tree = "(ROOT (S (NP (NNP Zorland)) (VP (VBD accused) (NP (DT the) (NN ministry) (NN of) (NN magic)))))"
    assert triples(tree, dicts) == set()
    assert triples(tree, dicts, options=CoderOptions(require_dyad=False)) == {("ZOR", "---", "112")}
    assert triples(tree, dicts, options=CoderOptions(new_actor_length=4)) == {("ZOR", '"THE MINISTRY OF MAGIC"', "112")}
    assert triples(tree, dicts, options=CoderOptions(new_actor_length=3)) == set()
    assert CoderOptions.from_config({"require_dyad": "FALSE", "new_actor_length": "4"}) == CoderOptions(False, 4)


UD = """# text = made up
1\tZorland\tZorland\tPROPN\tNNP\t_\t4\tnsubj:pass\t_\t_
2\twas\tbe\tAUX\tVBD\t_\t4\taux:pass\t_\t_
3\tnot\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
4\taccused\taccuse\tVERB\tVBN\t_\t0\troot\t_\t_
5\tby\tby\tADP\tIN\t_\t6\tcase\t_\t_
6\tQuixia\tQuixia\tPROPN\tNNP\t_\t4\tobl\t_\t_
7\tand\tand\tCCONJ\tCC\t_\t8\tcc\t_\t_
8\tVelmar\tVelmar\tPROPN\tNNP\t_\t6\tconj\t_\t_
"""


def test_conllu_becomes_a_phrase_tree(dicts: Dictionaries) -> None:
    root = conllu_tree(UD)
    assert [lf.word for lf in root.leaves()] == ["Zorland", "was", "not", "accused", "by", "Quixia", "and", "Velmar"]
    vp = root.leaves()[3].parent.parent  # (VP accused ...) inside (VP was not ...)
    assert vp is not None and vp.tag == "VP" and vp.parent is not None and vp.parent.leaves()[0].word == "was"
    assert triples(conllu_tree(UD.replace("not\tnot\tPART\tRB", "now\tnow\tADV\tRB")), dicts, 20120101) == {
        ("QUX", "ZOR", "112"), ("VLMGOV", "ZOR", "112")}


# ---------------------------------------------------------------- the real suite, in place


def test_suite_dictionaries_and_records_read(shared: Path) -> None:
    base = shared / "data/events/petrarch2"
    recs = read_records(base / "text/PETR.UnitTest.records.xml")
    assert len(recs) == 284 and sum(len(r.expected) for r in recs) == 385
    ud = read_records(shared / "data/events/UniversalPetrarch/text/PETR.UnitTest.records.parsing_parsed_udpipe_2.0.xml")
    assert len(ud) == 284 and ud[0].is_conllu
    verbs = read_verbs(base / "dictionaries/CAMEO.2.0.txt")
    assert len(verbs.blocks) > 300 and verbs.lookup("ACCUSED")


def test_validation_suite_rate(shared: Path) -> None:
    from khabar.evaluate.petrarch import run

    floors = json.loads((ROOT / "tests/floors.json").read_text(encoding="utf-8"))
    result = run(shared / "data/events/petrarch2")
    assert result["expected"] == 385
    assert result["rate"] >= floors["petrarch_unit_records"], result["failure_kinds"]
    assert result["sentences_per_second"] > 100


def test_validation_suite_ud_copy_rate(shared: Path) -> None:
    from khabar.evaluate.petrarch import UD_RECORDS, run

    floors = json.loads((ROOT / "tests/floors.json").read_text(encoding="utf-8"))
    result = run(shared / "data/events/petrarch2", shared / UD_RECORDS)
    assert result["records"] >= 280
    assert result["rate"] >= floors["petrarch_ud_records"], result["failure_kinds"]
