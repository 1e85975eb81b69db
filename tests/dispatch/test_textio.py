"""Reading training rows from CSV files, and the errors for bad ones."""

import pytest

from jiceng.dispatch.errors import ClassifierInputError
from jiceng.dispatch.features import compose
from jiceng.dispatch.textio import guess_columns, read_csv_rows, read_hint_rows


def test_joins_columns_and_keeps_the_last_as_alternative(toy_csv):
    rows = read_csv_rows(toy_csv, ["title", "body"], "label1")
    assert len(rows.texts) == len(rows.labels) == len(rows.alt_texts) == 18
    assert rows.texts[0] == "A市道路坑洼破损\n" * 3 + rows.alt_texts[0]  # title weighs 3x


def test_single_column_has_no_alternative(toy_csv):
    assert read_csv_rows(toy_csv, ["body"], "label1").alt_texts is None


def test_missing_columns_are_named(toy_csv):
    with pytest.raises(ClassifierInputError) as exc:
        read_csv_rows(toy_csv, ["title", "content"], "category")
    message = str(exc.value)
    assert "缺少列" in message and "content" in message and "category" in message
    assert "title, body, label1" in message


@pytest.mark.parametrize(
    ("header", "text", "label"),
    [
        (["id", "user", "title", "time", "body", "label1"], ["title", "body"], "label1"),
        (
            ["留言编号", "留言主题", "留言详情", "一级标签", "二级标签"],
            ["留言主题", "留言详情"],
            "一级标签",
        ),
        (["工单号", "来电内容", "诉求类别"], ["来电内容"], "诉求类别"),
        (["Title ", "Content", "Category"], ["Title ", "Content"], "Category"),
        (["标题", "内容", "类别", "标签"], ["标题", "内容"], "类别"),  # the better name wins
    ],
)
def test_columns_are_told_from_the_header(header, text, label):
    assert guess_columns(header) == (text, label)


def test_only_the_columns_not_named_are_guessed():
    assert guess_columns(["摘要", "内容", "类别"], ["摘要"]) == (["摘要"], "类别")
    assert guess_columns(["编号", "结果"], ["编号"], "结果") == (["编号"], "结果")
    with pytest.raises(ClassifierInputError) as exc:
        guess_columns(["编号", "留言详情", "办理结果"])
    assert exc.value.code == "columns_not_guessed"
    assert "类别列" in exc.value.zh and "文本列" not in exc.value.zh
    assert "编号, 留言详情, 办理结果" in exc.value.zh and "label column" in exc.value.en
    with pytest.raises(ClassifierInputError) as both:
        guess_columns(["编号", "结果"])
    assert both.value.en.startswith("Cannot tell the text column or the label column from")


def test_a_sheet_read_without_column_names_says_what_it_read(toy_csv):
    rows = read_csv_rows(toy_csv, None, None)
    assert (rows.text_columns, rows.label_column) == (["title", "body"], "label1")
    assert rows.texts == read_csv_rows(toy_csv, ["title", "body"], "label1").texts


def test_rows_without_text_or_label_are_skipped(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("title,body,label1\n道路,坑洼,a\n,,a\n学校,收费,\n", encoding="utf-8")
    rows = read_csv_rows(path, ["title", "body"], "label1")
    assert rows.texts == ["道路\n道路\n道路\n坑洼"] and rows.skipped == 2


def test_missing_and_undecodable_files(tmp_path):
    with pytest.raises(ClassifierInputError, match="文件不存在"):
        read_csv_rows(tmp_path / "nope.csv", ["body"], "label1")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"body,label1\n\xff\xfe\xff,a\n")
    with pytest.raises(ClassifierInputError, match="GB18030"):
        read_csv_rows(binary, ["body"], "label1")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK not really a workbook")
    with pytest.raises(ClassifierInputError, match="Excel") as info:
        read_csv_rows(broken, ["body"], "label1")
    assert info.value.code == "bad_file"


def test_a_csv_saved_by_chinese_excel_is_read(tmp_path):
    gbk = tmp_path / "gbk.csv"  # Excel on a Chinese Windows saves CSV as GBK
    gbk.write_bytes("body,label1\n道路坑洼,城乡建设\n".encode("gbk"))
    assert read_csv_rows(gbk, ["body"], "label1").labels == ["城乡建设"]


def test_an_xlsx_is_read_like_a_csv(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["title", "body", "label1", "id"])
    wb.active.append(["道路", "坑洼破损", "城乡建设", 17])
    wb.active.append([None, None, None, None])
    wb.active.append([2024, "学校收费", "教育文体", 18])  # a number in a text column
    wb.save(tmp_path / "rows.xlsx")
    rows = read_csv_rows(tmp_path / "rows.xlsx", ["title", "body"], "label1")
    assert rows.labels == ["城乡建设", "教育文体"] and rows.alt_texts == ["坑洼破损", "学校收费"]
    assert rows.texts[1].startswith("2024\n") and rows.skipped == 0


def test_compose_repeats_leading_fields_only():
    assert compose(["标题", "正文"]) == "标题\n标题\n标题\n正文"
    assert compose(["", "正文"]) == "正文" and compose([]) == ""


def test_hint_rows_join_the_words_after_the_label(tmp_path):
    path = tmp_path / "tree.csv"
    path.write_text(
        "level1,level2,level3\n城乡建设,安全生产,安全隐患\n教育文体,,\n,交通,道路\n",
        encoding="utf-8",
    )
    assert read_hint_rows(path) == [("安全生产 安全隐患", "城乡建设")]


def test_a_one_column_hint_file_is_refused(tmp_path):
    path = tmp_path / "tree.csv"
    path.write_text("level1\n城乡建设\n", encoding="utf-8")
    with pytest.raises(ClassifierInputError, match="至少需要两列") as info:
        read_hint_rows(path)
    assert info.value.code == "bad_hints"


def test_an_xlsx_hint_file_with_numbers_and_empty_cells_is_read(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["level1", "level2", "level3"])
    wb.active.append(["城乡建设", "热线", 12345])  # a number where words are expected
    wb.active.append(["教育文体", "学校", None])
    wb.save(tmp_path / "tree.xlsx")
    assert read_hint_rows(tmp_path / "tree.xlsx") == [
        ("热线 12345", "城乡建设"),
        ("学校", "教育文体"),
    ]


def test_column_lists_take_a_full_width_comma_and_spaces():
    from jiceng.dispatch.textio import split_columns

    assert split_columns("title，body") == ["title", "body"]
    assert split_columns(" 标题 , 内容 ,") == ["标题", "内容"]
    assert split_columns(" , ，") == []
