#!/usr/bin/env python3
"""Writes eval/data/duplicate-pairs.jsonl: pairs of People's Daily article spans, the second
perhaps edited into a copy, and whether the two are one story. No text of the pages is written:
a pair is two spans (file, start, end in characters) and the edits that the eval applies to the
second (`src/eval/duplicates.rs`).

    python3 eval/duplicate_pairs.py ../shared/data/pages/peopledaily \
        [--same-subject negatives.jsonl] [--reprints reprints.jsonl]

Copies (`"duplicate": true`), from 80 articles of at least 300 characters drawn with a fixed
seed: each is cut (to 0.7, 0.8 or 0.9 of its characters, whole paragraphs) and given one of a
re-paragraphing, another paper's dateline or 1–2% of its Han characters changed; every second
one is retitled (the headlines below, written for these pairs) or given all at once
(`combined`: re-paragraphed, retitled, cut to 0.8, 1% changed); every eighth is cut to half
(`cut-0.5`, scored apart from the copies that keep at least 70%).

Reprints (`reprint`, from `--reprints`, in this format): pairs of spans found and read by hand
to be one story printed twice in the pages themselves (a front-page report and its copy
inside), unedited.

Different stories (`"duplicate": false`): pairs read by hand as two stories on one subject
(`same-subject`, from `--same-subject`, in this format, each with a note `why`), pairs from different days
whose headlines share most of their character pairs (`similar-title`: each article once, a
headline at most three times; those the hand-read file
already holds are dropped), and random pairs of articles (`random`); no pair of these two kinds is
a known reprint.

The hand-read pairs live on in the file this writes: to write it again, take them back from it,

    grep '"variant": "same-subject"' eval/data/duplicate-pairs.jsonl > same-subject.jsonl
    grep '"variant": "reprint"' eval/data/duplicate-pairs.jsonl > reprints.jsonl

(their ids are given afresh).
"""

import argparse
import hashlib
import json
import random

SEED = 20240201
ARTICLES = 80
MIN_CHARS = 300

# Another headline for the even-numbered articles drawn, as a paper reprinting the story might
# write it (by the article's id in gold.jsonl).
HEADLINES = {
    "20190201-04-07": "礼遇道德模范 传递向善力量",
    "20200112-04-05": "国家开发银行原董事长胡怀邦被开除党籍",
    "20200229-07-01": "2019年统计公报有关指标解释",
    "20190225-13-01": "垃圾分类渐成社区新风尚",
    "20200210-11-01": "多地有序推动企业复工复产",
    "20200103-03-01": "老挝迈入加速发展新阶段",
    "20200218-07-02": "农资保障到田头 春耕生产不误时",
    "20200212-16-06": "菲方宣布终止菲美访问部队协议",
    "20200109-11-01": "国企党建重在抓细抓实",
    "20200108-04-04": "长江岸边的橙乡新貌",
    "20190222-16-06": "让濒危语言留住自己的声音",
    "20200120-20-01": "名师谈艺：好演员的两种气",
    "20200204-05-02": "抓落实是检验作风的试金石",
    "20190214-17-03": "中国贡献全球四分之一新增绿化面积",
    "20200220-13-04": "扶贫医生赢得乡亲们的敬佩",
    "20200203-03-07": "维和直升机分队在达尔富尔欢度中国年",
    "20200103-07-05": "文化惠民活动走进千家万户",
    "20190210-01-04": "新春祝福：祖国繁荣 人民安康",
    "20190221-16-01": "专家学者研讨电影《流浪地球》",
    "20200224-06-04": "志愿者的微笑温暖社区居民",
    "20190214-16-05": "从工地走出来的“工人教授”",
    "20200219-16-07": "美颜滤镜造不出真完美",
    "20200118-08-03": "腊月里的年味",
    "20200123-06-01": "装配天线的精细功夫",
    "20200205-10-04": "贵州保障超市货足价稳",
    "20200106-01-03": "为新时代党的历史使命而奋斗",
    "20200228-05-05": "中医药助力疫情防控",
    "20200129-07-04": "古镇里过大年",
    "20200111-07-01": "用好城市“金角银边”建设健身场地",
    "20200113-16-05": "也门和解进程仍存变数",
    "20190201-06-01": "新春年货里的幸福生活",
    "20200211-14-01": "绿水青山带来好日子",
    "20190201-03-04": "非洲人士：中国改革开放惠及非洲",
    "20200217-14-01": "脱贫一线：再加把劲奔小康",
    "20190217-01-04": "开年港口一派繁忙",
    "20200103-14-01": "线上汇集难题 线下及时处理",
    "20200122-15-02": "英雄烈士谱：危急关头挺身保护乘客",
    "20200120-04-10": "浦寿昌逝世",
    "20190218-06-03": "农家乐生意红火",
    "20200222-06-06": "河南省原副省长徐光被开除党籍和公职",
}


def articles(pages):
    out = []
    with open(f"{pages}/gold.jsonl", encoding="utf-8") as f:
        for line in f:
            page = json.loads(line)
            for a in page["articles"]:
                out.append({"file": page["file"], "id": a["id"], "start": a["start"], "end": a["end"],
                            "title": a["title"]})
    return out


def span(a, edits=None):
    s = {"file": a["file"], "start": a["start"], "end": a["end"]}
    if edits:
        s["edits"] = edits
    return s


def dateline(a):
    """Another paper's dateline for the day before the page's."""
    month, day = int(a["file"][4:6]), int(a["file"][6:8])
    return f"新华社北京{month}月{max(day - 1, 1)}日电　"


def copies(drawn, rng):
    pairs = []
    for i, a in enumerate(drawn):
        seed = rng.randrange(1 << 31)
        keep = [0.7, 0.8, 0.9][i % 3]
        pairs.append((a, [{"op": "cut", "keep": keep}], "cut"))
        single = [
            ("dateline", [{"op": "dateline", "text": dateline(a)}]),
            ("noise", [{"op": "noise", "rate": [0.01, 0.02][i // 3 % 2], "seed": seed}]),
            ("reparagraph", [{"op": "reparagraph", "seed": seed}]),
        ][i % 3]
        pairs.append((a, single[1], single[0]))
        if i % 2 == 0:
            headline = HEADLINES[a["id"]]
            if i % 4 == 0:
                pairs.append((a, [{"op": "retitle", "headline": headline}], "retitle"))
            else:
                pairs.append((a, [
                    {"op": "reparagraph", "seed": seed},
                    {"op": "retitle", "headline": headline},
                    {"op": "cut", "keep": 0.8},
                    {"op": "noise", "rate": 0.01, "seed": seed + 1},
                ], "combined"))
        if i % 8 == 1:
            pairs.append((a, [{"op": "cut", "keep": 0.5}], "cut-0.5"))
    return [{"a": span(a), "b": span(a, edits), "duplicate": True, "variant": v} for a, edits, v in pairs]


def bigrams(title):
    chars = [c for c in title if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:])}


def similar_titles(long, limit=80):
    """Pairs from different days whose headlines share the most character pairs."""
    grams = [bigrams(a["title"]) for a in long]
    scored = []
    for i in range(len(long)):
        for j in range(i + 1, len(long)):
            if long[i]["file"][:8] == long[j]["file"][:8] or len(grams[i]) < 4 or len(grams[j]) < 4:
                continue
            both = len(grams[i] & grams[j])
            if both < 3:
                continue
            scored.append((both / len(grams[i] | grams[j]), i, j))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    # Each article once, and a headline (a column's, a yearly meeting's) at most three times.
    used, titles, out = set(), {}, []
    for _, i, j in scored:
        title = "".join(c for c in long[i]["title"] if c.isalnum())
        if i in used or j in used or titles.get(title, 0) >= 3:
            continue
        used.update((i, j))
        titles[title] = titles.get(title, 0) + 1
        out.append((long[i], long[j]))
        if len(out) == limit:
            break
    return out


def unordered(pair):
    key = lambda s: (s["file"], s["start"], s["end"])
    return tuple(sorted([key(pair["a"]), key(pair["b"])]))


def read_pairs(path, duplicate, variant):
    if not path:
        return []
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    out = []
    for p in rows:
        row = {"a": span(p["a"]), "b": span(p["b"]), "duplicate": duplicate, "variant": variant}
        if p.get("why"):
            row["why"] = p["why"]
        out.append(row)
    return out


def main():
    args = argparse.ArgumentParser()
    args.add_argument("pages")
    args.add_argument("--same-subject")
    args.add_argument("--reprints")
    args = args.parse_args()
    rng = random.Random(SEED)
    long = [a for a in articles(args.pages) if a["end"] - a["start"] >= MIN_CHARS]
    drawn = rng.sample(long, ARTICLES)
    pairs = copies(drawn, rng)
    reprints = read_pairs(args.reprints, True, "reprint")
    read = read_pairs(args.same_subject, False, "same-subject")
    known = {unordered(p) for p in read + reprints}
    pairs += reprints + read
    for a, b in similar_titles(long):
        pair = {"a": span(a), "b": span(b), "duplicate": False, "variant": "similar-title"}
        if unordered(pair) not in known:
            known.add(unordered(pair))
            pairs.append(pair)
    while sum(p["variant"] == "random" for p in pairs) < 100:
        a, b = rng.sample(long, 2)
        pair = {"a": span(a), "b": span(b), "duplicate": False, "variant": "random"}
        if unordered(pair) not in known:
            known.add(unordered(pair))
            pairs.append(pair)
    with open("eval/data/duplicate-pairs.jsonl", "w", encoding="utf-8") as f:
        for n, p in enumerate(pairs, 1):
            row = {"id": f"d{n:04d}", **p}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    digest = hashlib.sha256(open("eval/data/duplicate-pairs.jsonl", "rb").read()).hexdigest()[:16]
    print(f"{len(pairs)} pairs, sha256 {digest}")


if __name__ == "__main__":
    main()
