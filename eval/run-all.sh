#!/usr/bin/env bash
# Every quality number of the README's "Quality and speed" table, from ../shared/data.
# Usage: bash eval/run-all.sh [OUT_DIR]   (indexes are built once under OUT_DIR/index-*)
set -euo pipefail
cd "$(dirname "$0")/.."
S=../shared/data
OUT=${1:-/tmp/qa-eval}
mkdir -p "$OUT"
export LOG_LEVEL=${LOG_LEVEL:-error}
for set in vinewsqa-dev xquad-vi; do
  index="$OUT/index-$set"
  npx tsx src/bin/ingest.ts --corpus "$S/qa/$set.articles.jsonl" --corpus "$S/news/unc_dantri_articles.jsonl" --index "$index" > /dev/null
  npx tsx src/bin/eval.ts --index "$index" --qa "$S/qa/$set.qa.jsonl" --json > "$OUT/$set.json"
  npx tsx src/bin/eval.ts --index "$index" --qa "$S/qa/$set.qa.jsonl" --unaccented --json > "$OUT/$set.unaccented.json"
  npx tsx src/bin/eval.ts --index "$index" --qa "$S/qa/$set.qa.jsonl" --mixed --json > "$OUT/$set.mixed.json"
  # As conversations: each question may follow up the answer before it (file order: an article's
  # questions in a row), and shuffled, where the previous answer is about something else.
  npx tsx src/bin/eval.ts --index "$index" --qa "$S/qa/$set.qa.jsonl" --follow-ups --json > "$OUT/$set.follow-ups.json"
  npx tsx src/bin/eval.ts --index "$index" --qa "$S/qa/$set.qa.jsonl" --follow-ups --shuffle 1 --json > "$OUT/$set.follow-ups-shuffled.json"
done
for off in off-corpus off-corpus-heldout; do
  npx tsx src/bin/eval.ts --index "$OUT/index-vinewsqa-dev" --qa "eval/$off.qa.jsonl" --json > "$OUT/$off.json"
done
for f in "$OUT"/*.json; do echo "$(basename "$f" .json): $(cat "$f")"; done
