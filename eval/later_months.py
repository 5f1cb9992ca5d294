#!/usr/bin/env python3
"""Writes eval/data/peopledaily-annotated-later.jsonl: every hand-annotated People's Daily
article (with a section) on the pages of the later months, 2020, that is in neither test part
(blind, hold-out), as pages gold: spans, sections, their alternatives and kinds (no summaries, no text of
the pages).

    python3 eval/later_months.py ../shared/data/newspaper [--out FILE]

The annotations come from the shared annotated sets (`peopledaily_annotated.jsonl`,
`peopledaily_annotated_2.jsonl`) and the repository's (`models/data/peopledaily-*.jsonl`,
`eval/data/peopledaily-annotated-*.jsonl`), read in that order; an article annotated twice
keeps its first annotation. The file serves twice: as `--away-from` for a head made on the
earlier months only (February 2019), and as the suite `eval/later-months.toml` that scores it
there, on months it never read.
"""

import argparse
import glob
import json
import os

LATER = "2020"
FIELDS = ("id", "start", "end", "section", "also", "kind")


def annotated(path):
    """(file, article) for each article with a section in a rows or pages gold file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            for article in row.get("articles", [row]):
                if "section" in article:
                    yield row["file"], article


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("newspaper", help="the shared data's newspaper folder")
    parser.add_argument("--out", help="where to write (default: eval/data/peopledaily-annotated-later.jsonl)")
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tests = [os.path.join(repo, f"eval/data/peopledaily-annotated-{part}.jsonl") for part in ("blind", "holdout")]
    held = {a["id"] for path in tests for _, a in annotated(path)}
    sources = [os.path.join(args.newspaper, n) for n in ("peopledaily_annotated.jsonl", "peopledaily_annotated_2.jsonl")]
    sources += sorted(glob.glob(os.path.join(repo, "models/data/peopledaily-*.jsonl")))
    sources += sorted(p for p in glob.glob(os.path.join(repo, "eval/data/peopledaily-annotated-*.jsonl"))
                      if p not in tests and not p.endswith("-later.jsonl"))
    pages = {}
    seen = set()
    for path in sources:
        for file, article in annotated(path):
            if not file.startswith(LATER) or article["id"] in held or article["id"] in seen:
                continue
            seen.add(article["id"])
            pages.setdefault(file, []).append({k: article[k] for k in FIELDS if k in article})
    out = args.out or os.path.join(repo, "eval/data/peopledaily-annotated-later.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for file in sorted(pages):
            articles = sorted(pages[file], key=lambda a: a["start"])
            f.write(json.dumps({"file": file, "articles": articles}, ensure_ascii=False) + "\n")
    print(f"{out}: {len(seen)} articles on {len(pages)} pages")


if __name__ == "__main__":
    main()
