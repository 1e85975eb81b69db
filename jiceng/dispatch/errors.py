"""Errors a person can cause when training or using the classifier, in Chinese and English."""


class ClassifierInputError(ValueError):
    """Bad input to the classifier: the message says what is wrong in Chinese first, then English."""

    def __init__(self, code: str, zh: str, en: str):
        self.code = code
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


def empty_text() -> ClassifierInputError:
    return ClassifierInputError("empty_text", "文本为空，无法分类。", "The text is empty.")


def no_chinese() -> ClassifierInputError:
    return ClassifierInputError(
        "no_chinese",
        "文本中没有中文字符，分类器只能识别中文留言，请人工派单。",
        "The text contains no Chinese characters; the classifier only reads Chinese. "
        "Dispatch it by hand.",
    )


def unknown_text() -> ClassifierInputError:
    return ClassifierInputError(
        "unknown_text",
        "文本中没有分类器认识的字词，请人工派单。",
        "The text shares no characters with the training data; dispatch it by hand.",
    )


def rare_labels(counts: dict[str, int], minimum: int) -> ClassifierInputError:
    listed = "、".join(f"{label}（{n}）" for label, n in sorted(counts.items()))
    return ClassifierInputError(
        "rare_labels",
        f"以下类别的样本少于 {minimum} 条，无法训练：{listed}。请补充样本或合并类别。",
        f"These labels have fewer than {minimum} examples: {listed}. "
        "Add examples or merge the labels.",
    )


def no_closed_cases() -> ClassifierInputError:
    return ClassifierInputError(
        "no_closed_cases",
        "还没有已办结的案件可供学习，未训练新模型。",
        "There are no closed cases to learn from yet; no model was trained.",
    )


def too_few_labels(n: int) -> ClassifierInputError:
    return ClassifierInputError(
        "too_few_labels",
        f"训练数据只有 {n} 个类别，至少需要 2 个。",
        f"The training data has {n} label(s); at least 2 are needed.",
    )


def missing_columns(missing: list[str], available: list[str]) -> ClassifierInputError:
    return ClassifierInputError(
        "missing_columns",
        f"表格缺少列：{', '.join(missing)}；表格中的列为：{', '.join(available) or '（无）'}。"
        "请用表格第一行中的列名指定文本列和类别列（命令行为 --text、--label）。",
        f"The sheet has no column(s) {', '.join(missing)}; "
        f"its columns are: {', '.join(available) or '(none)'}. "
        "Name the text and label columns as the sheet's first row does (--text, --label on the "
        "command line).",
    )


def columns_not_guessed(available: list[str], *, text: bool, label: bool) -> ClassifierInputError:
    which_zh = "、".join(w for w, on in (("文本列", text), ("类别列", label)) if on)
    which_en = " or the ".join(f"{w} column" for w, on in (("text", text), ("label", label)) if on)
    return ClassifierInputError(
        "columns_not_guessed",
        f"无法从表头认出{which_zh}；表格中的列为：{', '.join(available) or '（无）'}。"
        "请填写列名（命令行为 --text、--label）。",
        f"Cannot tell the {which_en} from the header; the sheet's columns are: "
        f"{', '.join(available) or '(none)'}. Name them (--text, --label on the command line).",
    )


def no_rows(skipped: int) -> ClassifierInputError:
    return ClassifierInputError(
        "no_rows",
        f"表格中没有文本和类别都已填写的行（跳过 {skipped} 行），无法评估。",
        f"The sheet has no row with both a text and a label ({skipped} skipped); "
        "nothing to evaluate.",
    )


def no_known_labels(sheet: list[str], model: list[str]) -> ClassifierInputError:
    found, known = "、".join(sheet[:20]), "、".join(model[:20])
    return ClassifierInputError(
        "no_known_labels",
        f"表格中的类别（{found}）模型一个也不认识；模型的类别为：{known}。请检查类别列是否选对。",
        f"The model knows none of the sheet's labels ({found}); its labels are: {known}. "
        "Check that the label column is the right one.",
    )


def bad_file(path: str, zh: str, en: str | None = None) -> ClassifierInputError:
    """The file cannot be read; `zh` / `en` say why (one reason for both, e.g. an OS error)."""
    return ClassifierInputError(
        "bad_file", f"无法读取文件 {path}：{zh}", f"Cannot read the file {path}: {en or zh}"
    )


def length_mismatch(n_texts: int, n_labels: int) -> ClassifierInputError:
    return ClassifierInputError(
        "length_mismatch",
        f"文本数（{n_texts}）与标签数（{n_labels}）不一致。",
        f"The number of texts ({n_texts}) and labels ({n_labels}) differ.",
    )


def bad_hints(path: str, columns: list[str]) -> ClassifierInputError:
    found = ", ".join(columns) or "（无）"
    return ClassifierInputError(
        "bad_hints",
        f"提示文件 {path} 至少需要两列（第一列为类别，其余为说明该类别的词语），实际列为：{found}。",
        f"The hints file {path} needs two or more columns (the label first, then words "
        f"describing it); its columns are: {found}.",
    )
