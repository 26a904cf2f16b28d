"""Reading and writing rubric files (YAML or JSON) and input files."""

import json
from pathlib import Path

import yaml


class FileReadError(Exception):
    pass


def read_structured(path: str | Path) -> dict:
    """A YAML or JSON file as a dict, or FileReadError saying what is wrong, in Chinese."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileReadError(f"找不到文件「{path}」。") from None
    except UnicodeDecodeError:
        raise FileReadError(f"文件「{path}」不是 UTF-8 编码的文本文件。") from None
    except OSError as exc:
        raise FileReadError(f"无法读取文件「{path}」：{exc.strerror}。") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        if isinstance(exc, json.JSONDecodeError):
            where = f"第 {exc.lineno} 行第 {exc.colno} 列"
        raise FileReadError(f"文件「{path.name}」{where}格式错误，无法解析。") from None
    if not isinstance(data, dict):
        raise FileReadError(f"文件「{path.name}」的内容应当是一个对象（键值结构）。")
    return data


def dump(data: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
