"""Cross-checks jianbao's character ROUGE against independent implementations on 200 pairs.

    jianbao summarize --method lead --format jsonl eval/data/lcsts-sample.jsonl > /tmp/xc-pred.jsonl
    jianbao eval --predictions /tmp/xc-pred.jsonl --gold eval/data/lcsts-sample.jsonl --json /tmp/xc.json --resamples 0
    pip install rouge-score rouge-chinese lawrouge
    python3 benches/rouge_crosscheck.py /tmp/xc-pred.jsonl /tmp/xc.json

Google's rouge_score, given jianbao's tokens, must agree exactly (clipped n-gram counts, LCS).
rouge-chinese agrees on ROUGE-L; its ROUGE-N counts each distinct n-gram once (a set), so it
differs where a text repeats characters. lawrouge tokenises by itself (punctuation kept).
"""
import json, sys
from rouge_chinese import Rouge as RC
import lawrouge

def fold(c):
    o = ord(c)
    return chr(o - 0xFEE0) if 0xFF01 <= o <= 0xFF5E else c

def tokens(text):
    out, word = [], ''
    for c in text:
        c = fold(c)
        if c.isascii() and c.isalnum():
            word += c.lower(); continue
        if word: out.append(word); word = ''
        if c.isalnum(): out.append(c)
    if word: out.append(word)
    return out

gold = {json.loads(l)['id']: json.loads(l)['summary'] for l in open('eval/data/lcsts-sample.jsonl')}
preds = [json.loads(l) for l in open(sys.argv[1])]
pairs = [(p['summary'], gold[p['id']]) for p in preds]
rep = json.load(open(sys.argv[2]))
res = rep['datasets'][0]['results'][0]
ours = {m['name']: m['value'] for m in res['metrics']}
dist = res['distribution']

rc = RC()
def harmonic(p, r): return 2*p*r/(p+r) if p + r > 0 else 0.0
sums = {k: 0.0 for k in ours}
max_item = 0.0
lcs_f_diff = 0.0
for i, (cand, ref) in enumerate(pairs):
    c, r = ' '.join(tokens(cand)), ' '.join(tokens(ref))
    s = rc.get_scores(c, r)[0]
    for key, name in [('rouge-1', 'rouge1'), ('rouge-2', 'rouge2'), ('rouge-l', 'rougeL')]:
        p, rr = s[key]['p'], s[key]['r']
        sums[name + '.precision'] += p; sums[name + '.recall'] += rr
        sums[name + '.f1'] += harmonic(p, rr)      # F1 recomputed from their P and R
        if key == 'rouge-l':
            max_item = max(max_item, abs(harmonic(p, rr) - dist[i]))
            lcs_f_diff = max(lcs_f_diff, abs(s[key]['f'] - harmonic(p, rr)))
n = len(pairs)
print(f'pairs: {n}')
worst = 0.0
for k in sorted(sums):
    if k.startswith('rouge'):
        d = abs(sums[k] / n - ours[k]); worst = max(worst, d)
        print(f'{k:18} jianbao {ours[k]:.8f}  rouge-chinese {sums[k]/n:.8f}  diff {d:.2e}')
print(f'largest mean difference {worst:.2e}; largest per-item ROUGE-L F1 difference {max_item:.2e}')
print(f"rouge-chinese's own ROUGE-L 'f' differs from the harmonic mean by up to {lcs_f_diff:.4f}")

# lawrouge: raw strings, its own character tokens.
lr = lawrouge.Rouge()
law = lr.get_scores([p[0] for p in pairs], [p[1] for p in pairs], avg=1)
print('lawrouge (own tokenisation):', {k: round(v['f'], 6) for k, v in law.items()})

# Google's rouge_score (clipped n-gram counts, as Lin 2004), given our tokens.
from rouge_score import rouge_scorer
class Tok:
    def tokenize(self, text): return tokens(text)
sc = rouge_scorer.RougeScorer(['rouge1', 'rouge2', 'rougeL'], tokenizer=Tok())
sums = {k: 0.0 for k in ours}
max_item = 0.0
for i, (cand, ref) in enumerate(pairs):
    s = sc.score(ref, cand)
    for key in ['rouge1', 'rouge2', 'rougeL']:
        sums[key + '.precision'] += s[key].precision; sums[key + '.recall'] += s[key].recall; sums[key + '.f1'] += s[key].fmeasure
    max_item = max(max_item, abs(s['rougeL'].fmeasure - dist[i]))
worst = max(abs(sums[k] / n - ours[k]) for k in sums if k.startswith('rouge'))
for k in sorted(sums):
    if k.startswith('rouge'): print(f'{k:18} jianbao {ours[k]:.8f}  rouge_score {sums[k]/n:.8f}')
print(f'rouge_score: largest mean difference {worst:.2e}; per-item ROUGE-L F1 {max_item:.2e}')
print('rouge_score with its default tokenizer, identical Chinese strings:', sc.score('青岛首单债券发行', '青岛首单债券发行')['rougeL'].fmeasure, rouge_scorer.RougeScorer(['rougeL']).score('青岛首单债券发行', '青岛首单债券发行')['rougeL'].fmeasure)
