"""Find and read policy files: shipped ones by name (``national-2020``), others by path, only
where they may be (`resolve_extends`), and only when they are policies (`read_policy`)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rules_engine.diagnostics import define
from rules_engine.model import FormKind
from rules_engine.policy.keywords import TOP_KEYWORDS
from rules_engine.policy.limits import FILE_BYTES_CEILING, FLAGS, Limits
from rules_engine.policy.model import DEFAULT_KINDS
from rules_engine.policy.model import FORM_KIND_NAMES as KINDS
from rules_engine.resources import policies_dir

NOT_A_POLICY = define(
    "E550",
    "这个文件不像规则文件：{why}；不显示其内容",
    "this file does not look like a policy: {why_en}; its content is not shown",
    "确认路径指向 .policy 规则文件：规则文件是 UTF-8 文本，第一条语句是 "
    '`policy "标题"`（或 extends、rule 等关键字），`#` 开头的是注释。',
    "check that the path names a .policy file: a policy is UTF-8 text whose first statement "
    'is `policy "TITLE"` (or extends, rule, …); `#` starts a comment.',
)
OUTSIDE = define(
    "E551",
    "不能{what}「{name}」：只能读取{where}",
    "cannot {what_en} '{name}': only {where_en} may be read",
    "把规则文件放进这些文件夹之一，或用 --policy-path 文件夹 加入它所在的文件夹。",
    "move the policy into one of those folders, or add its folder with --policy-path FOLDER.",
)
NOT_REGULAR = define(
    "E552",
    "不能把它当作规则文件读取：{kind}",
    "cannot read it as a policy file: {kind_en}",
    "规则文件应是普通文件（不是设备、管道或套接字）。",
    "a policy must be a regular file (not a device, a pipe or a socket).",
)
TOO_LARGE = define(
    "E553",
    "规则文件太大：超过 {limit} 字节的上限",
    "the policy file is too large: above the limit of {limit} bytes",
    "确认路径指向规则文件；确有需要时用 {flag} 调高上限（最多 {ceiling}）。",
    "check that the path names a policy file; if it is really needed, raise the limit with "
    "{flag} (at most {ceiling}).",
)
EXTENDS_TOO_DEEP = define(
    "E554",
    "继承链太长：超过 {limit} 层 extends",
    "the extends chain is too long: more than {limit} levels",
    "让规则直接继承更上层的规则，缩短继承链；确有需要时用 {flag} 调高上限（最多 {ceiling}）。",
    "extend a policy higher up to shorten the chain; if it is really needed, raise the limit "
    "with {flag} (at most {ceiling}).",
)

SUFFIX = ".policy"
# The header line of a policy: `policy "标题" year 2021 region "武威市"` (read without parsing).
_HEADER = re.compile(r'^\s*policy\s+"([^"\n]*)"(?:\s+year\s+(\d+))?(?:\s+region\s+"([^"\n]*)")?')
_EXTENDS = re.compile(r'^\s*extends\s+"([^"\n]*)"', re.MULTILINE)
# Characters no policy holds (tab, line breaks and form feed aside): a binary file, or worse.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BINARY = ("含有控制字符（二进制文件？）", "it holds control characters (a binary file?)")
_WORD = re.compile(r"[A-Za-z_]+")
# `forms 部门整体支出 about "禁捕"` and the policy's own `basis "…"` (top level, read likewise).
_FORMS = re.compile(r"^forms\s+([^#\n]*?)(?:\s+about\s+([^#\n]*?))?\s*(?:#.*)?$", re.MULTILINE)
_BASIS = re.compile(r'^basis\s+"([^"\n]*)"', re.MULTILINE)
_LISTED = re.compile(r'"([^"\n]*)"|“([^”\n]*)”|([^\s,，、"“]+)')


@dataclass(frozen=True)
class ShippedPolicy:
    """A policy in the shipped folder: its name (file stem), title, year, region and path; the
    kinds of form it scores and the words a form must name for it to be chosen (its own
    ``forms`` line, else the one of the policy it extends), and its ``basis``."""

    name: str
    title: str
    year: int | None
    region: str | None
    path: Path
    extends: str | None
    kinds: tuple[FormKind, ...] = DEFAULT_KINDS
    about: tuple[str, ...] = ()
    basis: str | None = None

    @property
    def display(self) -> str:
        """How explanations cite it: ``policies/<name>.policy``."""
        return f"policies/{self.path.name}"


def shipped_path(name: str) -> Path | None:
    """The shipped policy file called `name` (``national-2020``), or ``None``."""
    if not name or "/" in name or "\\" in name:
        return None
    candidate = policies_dir() / (name if name.endswith(SUFFIX) else name + SUFFIX)
    return candidate if candidate.is_file() else None


def shipped_names() -> list[str]:
    """Names of all shipped policies, sorted."""
    folder = policies_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob(f"*{SUFFIX}"))


@cache
def shipped_policies() -> tuple[ShippedPolicy, ...]:
    """Every shipped policy with the year, region and kinds of form its text declares."""
    texts = {
        name: (policies_dir() / f"{name}{SUFFIX}").read_text(encoding="utf-8")
        for name in shipped_names()
    }
    found: list[ShippedPolicy] = []
    for name, text in texts.items():
        title, year, region = name, None, None
        for line in text.splitlines():
            match = _HEADER.match(line)
            if match:
                title = match.group(1)
                year = int(match.group(2)) if match.group(2) else None
                region = match.group(3)
                break
        ext = _EXTENDS.search(text)
        kinds, about = _forms(name, texts, ())
        basis = _BASIS.search(text)
        found.append(
            ShippedPolicy(
                name,
                title,
                year,
                region,
                policies_dir() / f"{name}{SUFFIX}",
                ext.group(1) if ext else None,
                kinds,
                about,
                basis.group(1) if basis else None,
            )
        )
    return tuple(found)


def _forms(
    name: str, texts: dict[str, str], seen: tuple[str, ...]
) -> tuple[tuple[FormKind, ...], tuple[str, ...]]:
    """The kinds and about-words of a shipped policy: its own ``forms`` line, else those of the
    shipped policy it extends (the defaults at the root, or for a policy extending a file)."""
    text = texts.get(name)
    if text is None or name in seen:
        return DEFAULT_KINDS, ()
    match = _FORMS.search(text)
    if match is None:
        ext = _EXTENDS.search(text)
        if ext is None:
            return DEFAULT_KINDS, ()
        return _forms(ext.group(1), texts, (*seen, name))
    kinds = tuple(dict.fromkeys(KINDS[w] for w in _words(match.group(1)) if w in KINDS))
    return kinds or DEFAULT_KINDS, tuple(_words(match.group(2) or ""))


def _words(text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _LISTED.finditer(text)]


def resolve(
    ref: str, base: Path | None = None, base_display: str | None = None
) -> tuple[Path, str]:
    """Where policy `ref` lives and how to cite it.

    `ref` is a shipped name (``national-2020``) or a path; a relative path is taken from the
    folder of `base` (the extending file) when given, else from the current directory. The
    display path is ``policies/<name>.policy`` for shipped files, else the path as a user would
    type it (relative to the current directory when possible).
    """
    shipped = shipped_path(ref)
    if shipped is not None and not Path(ref).suffix:
        return shipped, f"policies/{shipped.name}"
    path = Path(ref)
    display = ref
    if not path.is_absolute() and base is not None:
        path = base.parent / ref
        if base_display is not None:
            display = os.path.normpath(os.path.join(os.path.dirname(base_display), ref))
    try:
        if path.resolve().parent == policies_dir().resolve():
            display = f"policies/{path.name}"
    except OSError:
        pass
    return path, display


def resolve_extends(
    ref: str, base: Path, base_display: str, limits: Limits
) -> tuple[Path, str] | None:
    """Where the policy `ref`, named by ``extends`` in `base`, lives and how to cite it; ``None``
    when it may not be read.

    `ref` is a shipped name, or a file under the folder of `base` or under a folder of
    `limits.policy_path` (a relative `ref` is looked for in that order). Whatever the path
    says (``..``, an absolute path, a link), the file it leads to must lie in one of those
    folders, so a policy cannot make the program read any other file.
    """
    shipped = shipped_path(ref)
    if shipped is not None and not Path(ref).suffix:
        return shipped, f"policies/{shipped.name}"
    folders = [base.parent, *limits.policy_path]
    written = Path(ref)
    tried: list[tuple[Path, str]] = []
    if written.is_absolute():
        tried.append((written, ref))
    else:
        tried.append(resolve(ref, base, base_display))
        tried.extend((folder / ref, str(folder / ref)) for folder in limits.policy_path)
    allowed = [(path, shown) for path, shown in tried if within(path, folders)]
    for path, shown in allowed:
        if path.exists():
            return path, shown
    return allowed[0] if allowed else None


def within(path: Path, folders: Sequence[Path]) -> bool:
    """Whether `path`, links and ``..`` followed, lies inside one of `folders`."""
    try:
        real = path.resolve()
        return any(real.is_relative_to(folder.resolve()) for folder in folders)
    except (OSError, RuntimeError):  # a link loop, an unreadable folder
        return False


class Unreadable(Exception):
    """A policy file that was not read, and why: a coded message that never quotes the file."""

    def __init__(self, code: str, **args: str) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


def read_policy(path: Path, limits: Limits) -> str:
    """The text of the policy file at `path`.

    Raises `Unreadable` for a file that is not a regular file (a pipe is never waited on, a
    device never read), is larger than `limits.file_bytes`, or does not look like a policy
    (`looks_like_policy`); `OSError` and `UnicodeDecodeError` as reading does.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # opening a pipe must not wait
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(info.st_mode):
            zh, en = _kind(info.st_mode)
            raise Unreadable(NOT_REGULAR, kind=zh, kind_en=en)
        # Read one byte past the limit: a file may be larger than it says (/proc, a growing file).
        data = handle.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise Unreadable(
            TOO_LARGE,
            limit=str(limits.file_bytes),
            flag=FLAGS["file_bytes"],
            ceiling=str(FILE_BYTES_CEILING),
        )
    if _CONTROL_BYTES.search(data):  # before decoding: binary junk is not "bad UTF-8 text"
        raise Unreadable(NOT_A_POLICY, why=_BINARY[0], why_en=_BINARY[1])
    text = data.decode("utf-8")
    problem = looks_like_policy(text)
    if problem is not None:
        raise Unreadable(NOT_A_POLICY, why=problem[0], why_en=problem[1])
    return text


def looks_like_policy(text: str) -> tuple[str, str] | None:
    """Why `text` is not a policy, without quoting it (``None`` when it may be one).

    A policy is text without control characters (tabs and line breaks aside) whose first line
    that is neither blank nor a comment starts with a statement keyword. An empty file passes:
    the compiler says what it lacks.
    """
    if _CONTROL.search(text):
        return _BINARY
    for line in text.removeprefix("\ufeff").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        word = _WORD.match(stripped)
        if word is None or word.group(0) not in TOP_KEYWORDS:
            return (
                "第一条语句不以规则关键字（policy、extends、rule 等）开头",
                "its first statement does not start with a policy keyword "
                "(policy, extends, rule, …)",
            )
        return None
    return None


def _kind(mode: int) -> tuple[str, str]:
    if stat.S_ISFIFO(mode):
        return "这是一个管道（FIFO）", "it is a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备", "it is a device"
    if stat.S_ISSOCK(mode):
        return "这是一个套接字", "it is a socket"
    return "这不是普通文件", "it is not a regular file"
