"""Agency names grouped across reports: folded spellings, and a body printed
with and without its city joined only when that cannot be two bodies."""

from extractor.agency import agency_key, unify


def test_spellings_of_one_name_share_a_key():
    assert agency_key("平潭综合实验区管委会") == agency_key("平潭综合实验区") == "平潭综合实验区"
    assert agency_key("上海市人民政府办公厅") == agency_key("上海市政府办公厅")
    assert agency_key("朝阳市 商务局") == agency_key("朝阳市商务局")
    assert agency_key(None) is None and agency_key("") is None


def test_a_short_form_joins_its_one_long_form_only():
    keys = [agency_key(n) for n in ("淮安市洪泽区人民政府", "洪泽区人民政府", "北京市朝阳区人民政府",
                                    "长春市朝阳区人民政府", "朝阳区人民政府", "商务局", "朝阳市商务局")]
    groups = unify(k for k in keys if k)
    assert groups["洪泽区政府"] == "淮安市洪泽区政府"
    assert groups["朝阳区政府"] == "朝阳区政府"  # two cities have a 朝阳区: left apart
    assert groups["商务局"] == "商务局"  # not a place: never joined to a city's bureau
