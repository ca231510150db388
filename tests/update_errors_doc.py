"""Write `docs/errors.md` from the message catalogue: every code of every module, by range.

Run ``.venv/bin/python tests/update_errors_doc.py`` after adding or changing a message;
`tests/test_errors_doc.py` fails with a diff while the document and the code disagree.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "errors.md"

# Code ranges: (first digit, Chinese title, English title, what they are about).
RANGES = (
    (
        "1",
        "表格读取",
        "Reading forms",
        "读取自评表、目标表文件时的问题（文件格式、表格结构、单元格）。",
    ),
    (
        "2",
        "命令行与目标文本",
        "Command line and target texts",
        "命令用法、输入文件、年度指标值与实际完成值的读取。",
    ),
    (
        "3",
        "策略语言",
        "The policy language",
        "策略文件的语法与含义错误（`rules-engine check` 报告）。",
    ),
    ("4", "评分与解释", "Scoring and explanations", "评分引擎与 `explain` 输出中的问题。"),
    ("5", "策略工具", "Policy tooling", "`check` 的静态分析、`test`、`verify`、`diff`、`fmt`。"),
)

SEVERITY = {"error": "错误 error", "warning": "警告 warning"}

HEADER = """\
# 错误代码一览 · Error codes

本文件列出 rules-engine 的全部提示代码（错误与警告），按代码范围分组。每条给出级别、中文提示、
英文提示（`--lang en`）以及修改建议。`{{name}}` 之类的占位符在实际提示中会换成具体内容。
级别为「错误」的提示使命令失败（退出码 1 或 2）；「警告」只报告，`check --strict` 时也使检查失败。

This file lists every message code of rules-engine, by range: its severity, the Chinese text,
the English text (`--lang en`) and the fix hint. Placeholders such as `{{name}}` are filled in
when shown. An error makes the command fail (exit 1 or 2); a warning is reported, and fails
only `check --strict`.

> 本文件由 `tests/update_errors_doc.py` 根据代码生成，`tests/test_errors_doc.py` 检查两者一致；
> 请勿手工编辑。Generated from the code; do not edit by hand.

退出码 · exit codes: 0 成功 success；1 命令运行完成但发现问题 problems found；2 用法或输入有误
bad usage or unreadable input。

| 范围 range | 内容 | contents |
| --- | --- | --- |
{table}
"""


def load_catalog() -> dict[str, object]:
    """Import every module of the package (each registers its codes) and return the catalogue."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import rules_engine
    from rules_engine.diagnostics import CATALOG

    for info in pkgutil.walk_packages(rules_engine.__path__, prefix="rules_engine."):
        if not info.name.endswith("__main__"):  # running it would start the command line
            importlib.import_module(info.name)
    return dict(CATALOG)


def render() -> str:
    """The text of `docs/errors.md` for the codes defined now."""
    from rules_engine.diagnostics import MessageDef

    catalog = load_catalog()
    table = "\n".join(f"| E{d}xx | {zh} | {en} |" for d, zh, en, _ in RANGES)
    parts = [HEADER.format(table=table)]
    for digit, zh, en, about in RANGES:
        codes = sorted(c for c in catalog if c.startswith(f"E{digit}"))
        parts.append(f"\n## E{digit}xx {zh} · {en}\n\n{about}\n")
        if not codes:
            parts.append("\n（暂无 · none yet）\n")
        for code in codes:
            entry = catalog[code]
            assert isinstance(entry, MessageDef)
            parts.append(
                f"\n### {code}\n\n- 级别 · severity: {SEVERITY[entry.severity]}\n"
                f"- 中文：{_inline(entry.zh)}\n- English: {_inline(entry.en)}\n"
            )
            if entry.hint_zh or entry.hint_en:
                parts.append(
                    f"- 建议：{_inline(entry.hint_zh)}\n- Hint: {_inline(entry.hint_en)}\n"
                )
    other = sorted(c for c in catalog if c[1:2] not in {d for d, *_ in RANGES})
    if other:
        parts.append("\n## 其他 · Other\n")
        for code in other:
            entry = catalog[code]
            assert isinstance(entry, MessageDef)
            parts.append(
                f"\n### {code}\n\n- 中文：{_inline(entry.zh)}\n- English: {_inline(entry.en)}\n"
            )
    return "".join(parts)


def _inline(text: str) -> str:
    """Message text as Markdown: braces doubled in templates are shown single; no line breaks."""
    return text.replace("{{", "{").replace("}}", "}").replace("\n", " ").strip() or "—"


def main() -> int:
    """Rewrite the document; print whether it changed."""
    text = render()
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if text == old:
        print(f"{DOC.relative_to(ROOT)} is up to date")
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
