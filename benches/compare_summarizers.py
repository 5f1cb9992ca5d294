"""Scores jianbao's summaries against two other offline Chinese summarisers, SnowNLP and
TextRank4ZH, on the same inputs with the same metric (`jianbao eval --predictions`).

    cargo build --release
    python3 -m venv /tmp/cmp-env
    /tmp/cmp-env/bin/pip install snownlp==0.12.3 textrank4zh==0.3 'networkx<3' 'numpy<2' scipy jieba
    /tmp/cmp-env/bin/python benches/compare_summarizers.py ../shared/data /tmp/cmp

Sets (test sets, which nothing was tuned on; the first two are those of `cargo bench --bench
summaries`):
- LCSTS PART II test: 1,000 posts of ~110 characters with a human headline-summary;
- People's Daily pages of January and February 2020, every second article: the article's
  paragraphs as `text` (from `jianbao split`), its headline as the reference;
- the annotated People's Daily test articles (`eval/data/peopledaily-annotated-test.jsonl`,
  never used to choose anything): their paragraphs as `text`, the hand-written summary (at
  most 80 characters) as the reference.
Every tool reads the same `text` and gives one sentence (SnowNLP: its best clause, since its
sentences are clauses; TextRank4ZH: its best sentence; jianbao: the default budget on LCSTS,
which gives short posts one sentence, and `--sentences 1` on People's Daily, as in the bench;
a longer text's one sentence is its best sentence, trimmed to the budget).
Rows and predictions are written under the output directory, never into the repository (the
People's Daily text is not ours to publish). Times are wall-clock on this machine, jianbao's
including loading the model.
"""
import json
import os
import subprocess
import sys
import time

JIANBAO = os.environ.get("JIANBAO", "target/release/jianbao")


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def lcsts_rows(data):
    with open(os.path.join(data, "summaries/lcsts_part2_test.jsonl"), encoding="utf-8") as f:
        return [{"id": r["id"], "text": r["text"], "summary": r["summary"]} for r in map(json.loads, f)]


def peopledaily_rows(data):
    """Every second article (counting all articles, as the bench does) that has a headline."""
    folder = os.path.join(data, "pages/peopledaily")
    pages = sorted(p for p in os.listdir(folder) if p.startswith("2020") and p.endswith(".txt"))
    out = subprocess.run(
        [JIANBAO, "split", "-f", "jsonl", *(os.path.join(folder, p) for p in pages)],
        check=True, capture_output=True, text=True,
    ).stdout
    rows, n = [], 0
    for line in out.splitlines():
        article = json.loads(line)
        if "paragraphs" not in article:
            continue
        n += 1
        text = "\n".join(article["paragraphs"])
        if n % 2 != 0 or not article["headline"].strip() or not text.strip():
            continue
        name = os.path.basename(article["source"])
        rows.append({"id": f"{name}#{article['index']}", "text": text, "summary": article["headline"]})
    return rows


def annotated_rows(data):
    """The annotated People's Daily test articles (`eval/data`), their paragraphs as `text` (the
    indented lines of their span: no headline, kicker or deck) and the hand-written summary as
    the reference."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rows = []
    with open(os.path.join(repo, "eval/data/peopledaily-annotated-test.jsonl"), encoding="utf-8") as f:
        for gold in map(json.loads, f):
            with open(os.path.join(data, "pages/peopledaily", gold["file"]), encoding="utf-8") as page:
                text = page.read()
            for a in gold["articles"]:
                if a.get("summary"):
                    lines = text[a["start"]:a["end"]].split("\n")
                    body = "\n".join(line for line in lines if line.startswith("\u3000"))
                    rows.append({"id": a["id"], "title": "", "text": body, "summary": a["summary"]})
    return rows


def snownlp_summary(text):
    from snownlp import SnowNLP

    try:
        best = SnowNLP(text).summary(1)
    except ZeroDivisionError:  # a text of one clause
        best = []
    return best[0] if best else text


def textrank4zh_summary(text, ranker=[]):
    from textrank4zh import TextRank4Sentence

    if not ranker:
        ranker.append(TextRank4Sentence())
    ranker[0].analyze(text=text, lower=True, source="all_filters")
    best = ranker[0].get_key_sentences(num=1)
    return best[0]["sentence"] if best else text


def run_python(name, summarise, rows, out):
    started = time.time()
    preds = []
    for row in rows:
        try:
            summary = summarise(row["text"])
        except Exception as e:  # one failure must not lose the set; it scores as empty
            print(f"{name}: {row['id']}: {e}", file=sys.stderr)
            summary = ""
        preds.append({"id": row["id"], "summary": summary})
    seconds = time.time() - started
    write_jsonl(out, preds)
    return seconds


def run_jianbao(args, rows_path, out):
    started = time.time()
    with open(out, "w", encoding="utf-8") as f:
        subprocess.run([JIANBAO, "summarize", "-f", "jsonl", *args, rows_path], check=True, stdout=f,
                       stderr=subprocess.DEVNULL)
    return time.time() - started


def score(preds, gold):
    report = subprocess.run(
        [JIANBAO, "eval", "--predictions", preds, "--gold", gold, "--json", "-", "--resamples", "0"],
        check=True, capture_output=True, text=True,
    ).stdout
    metrics = json.loads(report)["datasets"][0]["results"][0]["metrics"]
    return {m["name"]: m["value"] for m in metrics}


def main():
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name, rows, one in (("lcsts-test", lcsts_rows(data), []),
                            ("peopledaily-2020", peopledaily_rows(data), ["--sentences", "1"]),
                            ("peopledaily-annotated-test", annotated_rows(data), ["--sentences", "1"])):
        gold = os.path.join(out, f"{name}.jsonl")
        write_jsonl(gold, rows)
        mean_chars = sum(len(r["text"]) for r in rows) / len(rows)
        print(f"\n{name}: {len(rows)} texts, {mean_chars:.0f} characters on average")
        print("| tool | R-1 | R-2 | R-L | summary chars | seconds |")
        print("|---|---|---|---|---|---|")
        tools = [
            ("jianbao model", lambda p: run_jianbao(one, gold, p)),
            ("jianbao lead", lambda p: run_jianbao(["--method", "lead", *one], gold, p)),
            ("jianbao textrank", lambda p: run_jianbao(["--method", "textrank", *one], gold, p)),
            ("SnowNLP 0.12.3", lambda p: run_python("snownlp", snownlp_summary, rows, p)),
            ("TextRank4ZH 0.3", lambda p: run_python("textrank4zh", textrank4zh_summary, rows, p)),
        ]
        for tool, run in tools:
            preds = os.path.join(out, f"{name}.{tool.split()[0].lower()}-{tool.split()[1].lower()}.jsonl")
            seconds = run(preds)
            m = score(preds, gold)
            with open(preds, encoding="utf-8") as f:
                lengths = [len(json.loads(l).get("summary") or "") for l in f]
            print(f"| {tool} | {100 * m['rouge1.f1']:.2f} | {100 * m['rouge2.f1']:.2f} | "
                  f"{100 * m['rougeL.f1']:.2f} | {sum(lengths) / len(lengths):.1f} | {seconds:.0f} |", flush=True)


if __name__ == "__main__":
    main()
