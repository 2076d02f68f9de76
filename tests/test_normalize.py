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


def _whole_nfkc(text: str) -> str:
    """normalize() as NFKC of the whole text and the folds (the way it reads
    any text holding a character it does not know to fold alone)."""
    import unicodedata

    from extractor import normalize as n

    return n._SPACES.sub(" ", n._FOLDED.sub(n._fold, unicodedata.normalize("NFKC", text))).strip()


def test_text_normalised_a_character_at_a_time_is_what_nfkc_of_the_whole_gives():
    # Chinese text of ideographs, ASCII and full-width punctuation is folded
    # one character at a time (NFKC of a line of thousands costs 70 ns a
    # character); that must be exactly NFKC of the whole, next to any
    # neighbour, and a text with a character that composes or reorders
    # (combining marks, Hangul jamo, Indic vowel signs) must go through NFKC.
    import random

    from extractor import normalize as n

    alone = n._ALONE
    assert len(alone) > 3000 and "，" in alone and "⑴" in alone and "\u3099" not in alone
    neighbours = ["a", "人", "1", " ", "\u0301", "\u3099", "\u1161", "\u0cc2", "가", "ｶ", "\uff9e", "é", "e"]
    for ch in alone:
        for other in neighbours:
            for text in (ch + other, other + ch, other + ch + other):
                assert normalize(text) == _whole_nfkc(text), (ch, other)
    pool = [*alone, *neighbours, *"政府信息公开申请ABC xyz 0123", "\u3000", "\t", "\u00a0", "\u200b"]
    rnd = random.Random(7)
    for _ in range(20000):
        text = "".join(rnd.choice(pool) for _ in range(rnd.randint(1, 12)))
        assert normalize(text) == _whole_nfkc(text), text
