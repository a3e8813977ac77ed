#!/usr/bin/env bash
# Every quality number of the README's "Quality and speed" table, from ../shared/data.
# Usage: bash eval/run-all.sh [OUT_DIR]   (indexes are built once under OUT_DIR/index-*)
# With EMBEDDING_MODEL set (e.g. models/multilingual-e5-small) the indexes carry vectors and
# dense retrieval is on; use another OUT_DIR for the two runs. QUICK=1 skips the mixed-accent and
# conversation runs.
set -euo pipefail
cd "$(dirname "$0")/.."
S=../shared/data
OUT=${1:-/tmp/qa-eval}
mkdir -p "$OUT"
export LOG_LEVEL=${LOG_LEVEL:-error}
ev() { npx tsx src/bin/eval.ts --json "$@"; }
for set in vinewsqa-dev xquad-vi; do
  index="$OUT/index-$set"
  [ -f "$index/CURRENT" ] || npx tsx src/bin/ingest.ts --corpus "$S/qa/$set.articles.jsonl" --corpus "$S/news/unc_dantri_articles.jsonl" --index "$index" > /dev/null
  ev --index "$index" --qa "$S/qa/$set.qa.jsonl" > "$OUT/$set.json"
  ev --index "$index" --qa "$S/qa/$set.qa.jsonl" --unaccented > "$OUT/$set.unaccented.json"
  [ -n "${QUICK:-}" ] && continue
  ev --index "$index" --qa "$S/qa/$set.qa.jsonl" --mixed > "$OUT/$set.mixed.json"
  # As conversations: each question may follow up the answer before it (file order: an article's
  # questions in a row), and shuffled, where the previous answer is about something else.
  ev --index "$index" --qa "$S/qa/$set.qa.jsonl" --follow-ups > "$OUT/$set.follow-ups.json"
  ev --index "$index" --qa "$S/qa/$set.qa.jsonl" --follow-ups --shuffle 1 > "$OUT/$set.follow-ups-shuffled.json"
done
# English questions over the Vietnamese articles: the dense side's test (lexical retrieval cannot bridge the languages).
ev --index "$OUT/index-xquad-vi" --qa "$S/qa/xquad-en2vi.qa.jsonl" > "$OUT/xquad-en2vi.json"
# Realistic reader questions over the news corpus (eval/realistic-news.qa.jsonl), on the index that holds it.
ev --index "$OUT/index-vinewsqa-dev" --qa eval/realistic-news.qa.jsonl > "$OUT/realistic-news.json"
ev --index "$OUT/index-vinewsqa-dev" --qa eval/realistic-news.qa.jsonl --unaccented > "$OUT/realistic-news.unaccented.json"
for off in off-corpus off-corpus-heldout; do
  ev --index "$OUT/index-vinewsqa-dev" --qa "eval/$off.qa.jsonl" > "$OUT/$off.json"
done
for split in calibration heldout; do
  ev --index "$OUT/index-vinewsqa-dev" --qa eval/off-corpus-hard.qa.jsonl --split "$split" > "$OUT/off-corpus-hard.$split.json"
done
for f in "$OUT"/*.json; do echo "$(basename "$f" .json): $(cat "$f")"; done
