"""Builds ``khabar/events/data/cameo.json`` and ``plover.json`` (run: ``python -m khabar.events.build_data``).

* ``cameo.json``: every CAMEO event code with its name and Goldstein score. The table below was
  typed by us from the public CAMEO codebook (Gerner, Schrodt, Yilmaz, Abu-Jabr 2002; version
  1.1b3, 2012) and the Goldstein (1992) conflict-cooperation scale as mapped onto CAMEO codes
  (public reference values; a four-digit code takes its three-digit base's score unless listed).
  QuadClass follows the usual GDELT convention by root: 01-05 verbal cooperation (1), 06-08
  material cooperation (2), 09-13 verbal conflict (3), 14-20 material conflict (4).
* ``plover.json``: CAMEO code -> PLOVER event type and mode, read by this script from
  ``../shared/data/events/PLOVER/CAMEO2PLOVER-2021.txt`` (openeventdata/PLOVER, CC BY-SA 4.0, by
  Philip Schrodt). The derived mapping is shared under CC BY-SA 4.0 as well.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# code | name | goldstein (blank = inherit from the base code)
CODEBOOK = """
01|Make public statement|0.0
010|Make statement, not specified below|0.0
011|Decline comment|-0.1
012|Make pessimistic comment|-0.4
013|Make optimistic comment|0.4
014|Consider policy option|0.0
015|Acknowledge or claim responsibility|0.0
016|Deny responsibility|-2.0
017|Engage in symbolic act|0.0
018|Make empathetic comment|3.4
019|Express accord|3.4
02|Appeal|3.0
020|Make an appeal or request, not specified below|3.0
021|Appeal for material cooperation|3.4
0211|Appeal for economic cooperation|
0212|Appeal for military cooperation|
0213|Appeal for judicial cooperation|
0214|Appeal for intelligence|
022|Appeal for diplomatic cooperation (such as policy support)|3.2
023|Appeal for aid|3.4
0231|Appeal for economic aid|
0232|Appeal for military aid|
0233|Appeal for humanitarian aid|
0234|Appeal for military protection or peacekeeping|
024|Appeal for political reform|-0.3
0241|Appeal for change in leadership|
0242|Appeal for policy change|
0243|Appeal for rights|
0244|Appeal for change in institutions, regime|
025|Appeal to yield|-0.3
0251|Appeal for easing of administrative sanctions|
0252|Appeal for easing of popular dissent|
0253|Appeal for release of persons or property|
0254|Appeal for easing of economic sanctions, boycott, or embargo|
0255|Appeal for target to allow international involvement (non-mediation)|
0256|Appeal for de-escalation of military engagement|
026|Appeal to others to meet or negotiate|4.0
027|Appeal to others to settle dispute|4.0
028|Appeal to others to engage in or accept mediation|4.0
03|Express intent to cooperate|4.0
030|Express intent to cooperate, not specified below|4.0
031|Express intent to engage in material cooperation|5.2
0311|Express intent to cooperate economically|
0312|Express intent to cooperate militarily|
0313|Express intent to cooperate on judicial matters|
0314|Express intent to cooperate on intelligence|
032|Express intent to provide diplomatic cooperation (such as policy support)|4.5
033|Express intent to provide material aid|5.2
0331|Express intent to provide economic aid|
0332|Express intent to provide military aid|
0333|Express intent to provide humanitarian aid|
0334|Express intent to provide military protection or peacekeeping|
034|Express intent to institute political reform|7.0
0341|Express intent to change leadership|
0342|Express intent to change policy|
0343|Express intent to provide rights|
0344|Express intent to change institutions, regime|
035|Express intent to yield|5.0
0351|Express intent to ease administrative sanctions|
0352|Express intent to ease popular dissent|
0353|Express intent to release persons or property|
0354|Express intent to ease economic sanctions, boycott, or embargo|
0355|Express intent to allow international involvement (non-mediation)|
0356|Express intent to de-escalate military engagement|
036|Express intent to meet or negotiate|4.0
037|Express intent to settle dispute|5.0
038|Express intent to accept mediation|7.0
039|Express intent to mediate|5.0
04|Consult|1.0
040|Consult, not specified below|1.0
041|Discuss by telephone|1.0
042|Make a visit|1.9
043|Host a visit|2.8
044|Meet at a "third" location|2.5
045|Mediate|5.0
046|Engage in negotiation|7.0
05|Engage in diplomatic cooperation|3.5
050|Engage in diplomatic cooperation, not specified below|3.5
051|Praise or endorse|3.4
052|Defend verbally|3.5
053|Rally support on behalf of|3.8
054|Grant diplomatic recognition|6.0
055|Apologize|7.0
056|Forgive|7.0
057|Sign formal agreement|8.0
06|Engage in material cooperation|6.0
060|Engage in material cooperation, not specified below|6.0
061|Cooperate economically|6.4
062|Cooperate militarily|7.4
063|Engage in judicial cooperation|7.4
064|Share intelligence or information|7.0
07|Provide aid|7.0
070|Provide aid, not specified below|7.0
071|Provide economic aid|7.4
072|Provide military aid|8.3
073|Provide humanitarian aid|7.4
074|Provide military protection or peacekeeping|8.5
075|Grant asylum|7.0
08|Yield|5.0
080|Yield, not specified below|5.0
081|Ease administrative sanctions|5.0
0811|Ease restrictions on political freedoms|
0812|Ease ban on political parties or politicians|
0813|Ease curfew|
0814|Ease state of emergency or martial law|
082|Ease political dissent|5.0
083|Accede to requests or demands for political reform|5.0
0831|Accede to demands for change in leadership|
0832|Accede to demands for change in policy|
0833|Accede to demands for rights|
0834|Accede to demands for change in institutions, regime|
084|Return, release, not specified below|7.0
0841|Return, release person(s)|
0842|Return, release property|
085|Ease economic sanctions, boycott, embargo|7.0
086|Allow international involvement, not specified below|9.0
0861|Receive deployment of peacekeepers|
0862|Receive inspectors|
0863|Allow delivery of humanitarian aid|
087|De-escalate military engagement|9.0
0871|Declare truce, ceasefire|
0872|Ease military blockade|
0873|Demobilize armed forces|
0874|Retreat or surrender militarily|10.0
09|Investigate|-2.0
090|Investigate, not specified below|-2.0
091|Investigate crime, corruption|-2.0
092|Investigate human rights abuses|-2.0
093|Investigate military action|-2.0
094|Investigate war crimes|-2.0
10|Demand|-5.0
100|Demand, not specified below|-5.0
101|Demand material cooperation|-5.0
1011|Demand economic cooperation|
1012|Demand military cooperation|
1013|Demand judicial cooperation|
1014|Demand intelligence cooperation|
102|Demand diplomatic cooperation (such as policy support)|-4.9
103|Demand material aid|-5.0
1031|Demand economic aid|
1032|Demand military aid|
1033|Demand humanitarian aid|
1034|Demand military protection or peacekeeping|
104|Demand political reform|-5.0
1041|Demand change in leadership|
1042|Demand policy change|
1043|Demand rights|
1044|Demand change in institutions, regime|
105|Demand that target yields|-5.0
1051|Demand easing of administrative sanctions|
1052|Demand easing of political dissent|
1053|Demand release of persons or property|
1054|Demand easing of economic sanctions, boycott, or embargo|
1055|Demand that target allows international involvement (non-mediation)|
1056|Demand de-escalation of military engagement|
106|Demand meeting, negotiation|-5.0
107|Demand settling of dispute|-5.0
108|Demand mediation|-5.0
11|Disapprove|-2.0
110|Disapprove, not specified below|-2.0
111|Criticize or denounce|-2.0
112|Accuse, not specified below|-2.0
1121|Accuse of crime, corruption|
1122|Accuse of human rights abuses|
1123|Accuse of aggression|
1124|Accuse of war crimes|
1125|Accuse of espionage, treason|
113|Rally opposition against|-2.0
114|Complain officially|-2.0
115|Bring lawsuit against|-2.0
116|Find guilty or liable (legally)|-2.0
12|Reject|-4.0
120|Reject, not specified below|-4.0
121|Reject material cooperation|-4.0
1211|Reject economic cooperation|
1212|Reject military cooperation|
1213|Reject judicial cooperation|
1214|Reject intelligence cooperation|
122|Reject request or demand for material aid|-4.0
1221|Reject request for economic aid|
1222|Reject request for military aid|
1223|Reject request for humanitarian aid|
1224|Reject request for military protection or peacekeeping|
123|Reject request or demand for political reform|-4.0
1231|Reject request for change in leadership|
1232|Reject request for policy change|
1233|Reject request for rights|
1234|Reject request for change in institutions, regime|
124|Refuse to yield|-5.0
1241|Refuse to ease administrative sanctions|
1242|Refuse to ease popular dissent|
1243|Refuse to release persons or property|
1244|Refuse to ease economic sanctions, boycott, or embargo|
1245|Refuse to allow international involvement (non-mediation)|
1246|Refuse to de-escalate military engagement|
125|Reject proposal to meet, discuss, or negotiate|-5.0
126|Reject mediation|-5.0
127|Reject plan, agreement to settle dispute|-5.0
128|Defy norms, law|-5.0
129|Veto|-5.0
13|Threaten|-6.0
130|Threaten, not specified below|-4.4
131|Threaten non-force, not specified below|-5.8
1311|Threaten to reduce or stop aid|
1312|Threaten to boycott, embargo, or sanction|
1313|Threaten to reduce or break relations|
132|Threaten with administrative sanctions, not specified below|-5.8
1321|Threaten to impose restrictions on political freedoms|
1322|Threaten to ban political parties or politicians|
1323|Threaten to impose curfew|
1324|Threaten to impose state of emergency or martial law|
133|Threaten political dissent, protest|-5.8
134|Threaten to halt negotiations|-5.8
135|Threaten to halt mediation|-5.8
136|Threaten to halt international involvement (non-mediation)|-7.0
137|Threaten with repression|-7.0
138|Threaten to use military force, not specified below|-7.0
1381|Threaten blockade|
1382|Threaten occupation|
1383|Threaten unconventional violence|
1384|Threaten conventional attack|
1385|Threaten attack with WMD|
139|Give ultimatum|-7.0
14|Protest|-6.5
140|Engage in political dissent, not specified below|-6.5
141|Demonstrate or rally, not specified below|-6.5
1411|Demonstrate for leadership change|
1412|Demonstrate for policy change|
1413|Demonstrate for rights|
1414|Demonstrate for change in institutions, regime|
142|Conduct hunger strike, not specified below|-6.5
1421|Conduct hunger strike for leadership change|
1422|Conduct hunger strike for policy change|
1423|Conduct hunger strike for rights|
1424|Conduct hunger strike for change in institutions, regime|
143|Conduct strike or boycott, not specified below|-6.5
1431|Conduct strike or boycott for leadership change|
1432|Conduct strike or boycott for policy change|
1433|Conduct strike or boycott for rights|
1434|Conduct strike or boycott for change in institutions, regime|
144|Obstruct passage, block, not specified below|-7.5
1441|Obstruct passage to demand leadership change|
1442|Obstruct passage to demand policy change|
1443|Obstruct passage to demand rights|
1444|Obstruct passage to demand change in institutions, regime|
145|Protest violently, riot, not specified below|-7.5
1451|Engage in violent protest for leadership change|
1452|Engage in violent protest for policy change|
1453|Engage in violent protest for rights|
1454|Engage in violent protest for change in institutions, regime|
15|Exhibit force posture|-7.2
150|Demonstrate military or police power, not specified below|-7.2
151|Increase police alert status|-7.2
152|Increase military alert status|-7.2
153|Mobilize or increase police power|-7.2
154|Mobilize or increase armed forces|-7.2
16|Reduce relations|-4.0
160|Reduce relations, not specified below|-4.0
161|Reduce or break diplomatic relations|-4.0
162|Reduce or stop material aid, not specified below|-5.6
1621|Reduce or stop economic assistance|
1622|Reduce or stop military assistance|
1623|Reduce or stop humanitarian assistance|
163|Impose embargo, boycott, or sanctions|-8.0
164|Halt negotiations|-7.0
165|Halt mediation|-7.0
166|Expel or withdraw, not specified below|-7.0
1661|Expel or withdraw peacekeepers|
1662|Expel or withdraw inspectors, observers|
1663|Expel or withdraw aid agencies|
17|Coerce|-7.0
170|Coerce, not specified below|-7.0
171|Seize or damage property, not specified below|-9.2
1711|Confiscate property|
1712|Destroy property|
172|Impose administrative sanctions, not specified below|-5.0
1721|Impose restrictions on political freedoms|
1722|Ban political parties or politicians|
1723|Impose curfew|
1724|Impose state of emergency or martial law|
173|Arrest, detain, or charge with legal action|-5.0
174|Expel or deport individuals|-5.0
175|Use tactics of violent repression|-9.0
18|Assault|-9.0
180|Use unconventional violence, not specified below|-9.0
181|Abduct, hijack, or take hostage|-9.0
182|Physically assault, not specified below|-9.5
1821|Sexually assault|-9.0
1822|Torture|-9.0
1823|Kill by physical assault|-10.0
183|Conduct suicide, car, or other non-military bombing, not specified below|-10.0
1831|Carry out suicide bombing|
1832|Carry out car bombing|
1833|Carry out roadside bombing|
184|Use as human shield|-8.0
185|Attempt to assassinate|-8.0
186|Assassinate|-10.0
19|Fight|-10.0
190|Use conventional military force, not specified below|-10.0
191|Impose blockade, restrict movement|-9.5
192|Occupy territory|-9.5
193|Fight with small arms and light weapons|-10.0
194|Fight with artillery and tanks|-10.0
195|Employ aerial weapons|-10.0
196|Violate ceasefire|-9.5
20|Use unconventional mass violence|-10.0
200|Use unconventional mass violence, not specified below|-10.0
201|Engage in mass expulsion|-9.5
202|Engage in mass killings|-10.0
203|Engage in ethnic cleansing|-10.0
204|Use weapons of mass destruction, not specified below|-10.0
2041|Use chemical, biological, or radiological weapons|
2042|Detonate nuclear weapons|
"""


def quad_class(root: str) -> int:
    """QuadClass of a two-digit CAMEO root."""
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


def build_cameo() -> dict[str, dict[str, object]]:
    """The code table: code -> {name, root, base, quad_class, goldstein}."""
    out: dict[str, dict[str, object]] = {}
    for line in CODEBOOK.strip().splitlines():
        code, name, score = line.split("|")
        root, base = code[:2], code[:3] if len(code) >= 3 else code
        gold = float(score) if score else float(out[base]["goldstein"])  # type: ignore[arg-type]
        out[code] = {"name": name, "root": root, "base": base, "quad_class": quad_class(root), "goldstein": gold}
    return out


def build_plover(path: Path) -> dict[str, list[str]]:
    """CAMEO code -> [PLOVER type, mode] read from the CAMEO2PLOVER table (first row for a code wins)."""
    out: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(\d{3,4}):\s*([A-Z]+)\s*,([^,]*)", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = [m.group(2), m.group(3).strip()]
    return out


def main() -> None:
    """Write both JSON files."""
    from ..shared import shared_dir

    cameo = build_cameo()
    src = {"_source": "typed by khabar from the public CAMEO codebook (v1.1b3) and the Goldstein (1992) scale "
           "as mapped to CAMEO; names are reference facts. Built by khabar/events/build_data.py",
           "_licence": "khabar's own data (facts from public references)"}
    (DATA / "cameo.json").write_text(json.dumps({**src, "codes": cameo}, indent=1, ensure_ascii=False) + "\n")
    table = shared_dir() / "data/events/PLOVER/CAMEO2PLOVER-2021.txt"  # type: ignore[operator]
    plover = build_plover(table)
    psrc = {"_source": "derived by khabar/events/build_data.py from CAMEO2PLOVER-2021.txt, openeventdata/PLOVER "
            "(commit 5e0c24f), by Philip Schrodt / Open Event Data Alliance",
            "_licence": "CC BY-SA 4.0 (share-alike: this derived mapping is shared under the same licence)"}
    (DATA / "plover.json").write_text(json.dumps({**psrc, "map": plover}, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
