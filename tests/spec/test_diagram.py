import xml.etree.ElementTree as ET

from tallyflow.spec.diagram import diagram
from tallyflow.spec.load import load_spec
from tests.spec.conftest import EXAMPLE, TOGGLE

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[tuple[float, str]]:
    root = ET.fromstring(svg)
    return [(float(t.get("x", 0)), t.text or "") for t in root.iter(f"{SVG}text")]


def test_flow_is_drawn_right_to_left_from_initiator_to_dashboard() -> None:
    spec = load_spec(EXAMPLE / "metrics" / "reference-previews-baseline.yaml").spec
    svg = diagram(spec, spec.metrics[0])
    placed = texts(svg)
    x = {text: pos for pos, text in placed}
    assert x["Initiated by"] > x["Collected by"] > x["Aggregation"] > x["Panel"] > x["Dashboard"]
    assert x["Click on reference"] > x["Cite extension"]
    root = ET.fromstring(svg)
    arrows = [el for el in root.iter(f"{SVG}line") if el.get("class") == "arrow"]
    assert len(arrows) == 6
    assert all(float(a.get("x1", 0)) > float(a.get("x2", 0)) for a in arrows)  # pointing left
    assert len(list(root.iter(f"{SVG}ellipse"))) == 2  # aggregation and collection ◯


def test_metric_without_a_row_is_drawn_from_its_spec_deterministically() -> None:
    spec = load_spec(TOGGLE).spec
    sessions = spec.metrics[1]
    svg = diagram(spec, sessions)
    assert svg == diagram(spec, sessions)
    words = " ".join(text for _x, text in texts(svg))
    assert "MediaWiki.CodeMirror." in words and "codemirror.toggle" in words
