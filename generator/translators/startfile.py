"""How a translation file starts: a copy of its source's data, the source's comments left out, a draft review."""

from __future__ import annotations

import copy
from typing import Any

from generator.content.translation import STARTED_NOTE


def _strip_comments(node: Any) -> None:
    comments = getattr(node, "ca", None)
    if comments is not None:
        comments.comment = None
        comments.items.clear()
        if hasattr(comments, "end"):
            comments.end = []
    children = node.values() if hasattr(node, "values") else node if isinstance(node, list) else []
    for child in children:
        _strip_comments(child)


def started_file(source_data: Any, lang: str, source_name: str) -> Any:
    """A translation file as `translate new` starts it: the source's data without its comments, a draft review."""
    from ruamel.yaml.comments import CommentedMap

    data = copy.deepcopy(source_data)
    _strip_comments(data)  # the source's comments are notes about the source text, not the translation's
    data.yaml_set_start_comment(f"{lang} translation of the {source_name} source file, started with "
                                f"`handouts translate new`. Translate each text; comments here are yours.")
    data["lang"] = lang
    review = CommentedMap()
    review["status"] = "draft"
    review["note"] = STARTED_NOTE
    data["review"] = review
    return data


def already_started(lang: str, source: str) -> str:
    """Why `translate new LANG` is refused when content/LANG/ exists (or was made while it ran), and what to do."""
    return f"content/{lang}/ already exists; " + ("it is the source language" if lang == source
                                                  else f"use `handouts translate sync {lang}`")
