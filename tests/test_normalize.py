"""Normalisation before matching."""

from extractor.normalize import normalize, squeeze
from extractor.tables.scan import scanner
from extractor.templates.labels import fold, fold_label, split_numbering


def test_fullwidth_forms_and_digits():
    assert normalize("（一）予以公开　１２３") == "(一)予以公开 123"


def test_quotes_dashes_and_spaces():
    assert normalize("3.危及“三安全一稳定”") == '3.危及"三安全一稳定"'
    assert normalize("— 4 —") == "- 4 -"
    assert normalize("a\u00a0\u3000\u2002b") == "a b"
    assert squeeze(" 本年 新收\u3000数量 ") == "本年新收数量"


def test_kangxi_and_cjk_radicals_fold_to_ideographs():
    # PDF text layers print 人民 as Kangxi/radical code points.
    assert normalize("⼈⺠政府") == "人民政府"
    assert normalize("⻔户⽹站") == "门户网站"


def test_traditional_labels_match():
    assert fold_label("一、本年新收政府信息公開申請數量") == "本年新收政府信息公开申请数量"
    marks = [p.mark.key for p in scanner().scan("行政規範性文件 3 0 12") if p.mark]
    assert marks == ["normative_documents"]


def test_numbering_is_split_off_in_any_bracket_style():
    assert split_numbering(fold("（七）总计")) == ("(七)", "总计")
    assert split_numbering("七、总计") == ("七、", "总计")
    assert split_numbering("1、属于国家秘密") == ("1.", "属于国家秘密")
    assert split_numbering("2019年") == (None, "2019年")
