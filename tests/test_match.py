"""Three-way merge of one paragraph and the alignment of paragraphs after edits."""

from pipeline.merge.match import align, merge3


def test_merge3_takes_each_side_where_only_it_changed():
    base = "覆盖率为46.67%，远低于全市80%覆盖率标准。"
    assert merge3(base, base, base.replace("46.67", "53.33")) == (base.replace("46.67", "53.33"), "data")
    assert merge3(base, base.replace("远低于", "明显低于"), base) == (base.replace("远低于", "明显低于"), "clerk")
    assert merge3(base, base, base) == (base, "same")


def test_merge3_combines_changes_in_different_words_and_refuses_the_same_word():
    base = "覆盖率为46.67%，远低于全市80%覆盖率标准。"
    clerk = base.replace("远低于", "明显低于")
    new = base.replace("46.67%", "53.33%")
    assert merge3(base, clerk, new) == ("覆盖率为53.33%，明显低于全市80%覆盖率标准。", "merged")
    assert merge3(base, base.replace("46.67%", "约47%"), new) == (base.replace("46.67%", "约47%"), "conflict")


def test_align_finds_edited_paragraphs_and_leaves_added_and_deleted_ones_unpaired():
    old = ["一、考核排名情况", "排名前三位为甲、乙、丙。", "（一）存在问题一。", "（二）存在问题二，共3起。"]
    new = ["一、考核排名情况", "经考核，排名前三位为甲、乙、丙。", "文秘新加的一段话。", "（二）存在问题二，共3起。"]
    assert align(old, new) == {0: 0, 1: 1, 3: 3}
