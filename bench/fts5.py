"""SQLite FTS5 over the index's passages, the baseline of `npm run bench:fts5` (bench/fts5.bench.ts).

Standard library only. Started by the benchmark as a child process:

    python3 bench/fts5.py --passages P.jsonl --questions Q.jsonl --db FILE

It builds the FTS5 table (passages: {"article", "title", "text"}; questions: {"question"}), prints
one JSON line with the build's figures, then answers commands on standard input, one a line:
"run" times every question once and prints one JSON line (wall and CPU milliseconds per question,
and the article ids of the 10 best passages, in rank order); end of input stops it. A long-lived process
lets the benchmark alternate FTS5 passes with its own on the same warm database.

The query is plain FTS5: the question's words (Unicode letters and digits) OR-ed, each quoted so
that none is read as FTS syntax (AND, NEAR, a column filter), ranked by bm25(), 10 passages.
"unicode61 remove_diacritics 2" folds case and accents on both sides, as our search also matches
folded spellings (it does not fold "đ" to "d": đ is a letter of its own in Unicode).
"""

import argparse
import json
import os
import re
import sqlite3
import sys
import time

LIMIT = 10
# The title counts as this many body occurrences, as TITLE_WEIGHT does in src/store/lexical.ts.
TITLE_WEIGHT = 2.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", required=True)
    parser.add_argument("--questions", required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()

    with open(args.passages, encoding="utf-8") as f:
        passages = [json.loads(line) for line in f if line.strip()]
    with open(args.questions, encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for line in f if line.strip()]

    started = time.perf_counter()
    db = sqlite3.connect(args.db)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(
        'CREATE VIRTUAL TABLE passages USING fts5(title, body, article UNINDEXED, tokenize = "unicode61 remove_diacritics 2")'
    )
    with db:
        db.executemany(
            "INSERT INTO passages (title, body, article) VALUES (?, ?, ?)",
            ((p["title"], p["text"], p["article"]) for p in passages),
        )
    # Merged into one b-tree, as a read-only index would be served.
    with db:
        db.execute("INSERT INTO passages (passages) VALUES ('optimize')")
    build_seconds = time.perf_counter() - started
    db.close()
    db = sqlite3.connect(args.db)

    sql = f"SELECT article FROM passages WHERE passages MATCH ? ORDER BY bm25(passages, {TITLE_WEIGHT}, 1.0) LIMIT {LIMIT}"
    matches = [match_of(q) for q in questions]

    def run() -> dict:
        times_ms = []
        cpu_ms = []
        hits = []
        for match in matches:
            if match is None:
                times_ms.append(0.0)
                cpu_ms.append(0.0)
                hits.append([])
                continue
            t = time.perf_counter()
            c = time.process_time()
            rows = db.execute(sql, (match,)).fetchall()
            cpu_ms.append((time.process_time() - c) * 1000)
            times_ms.append((time.perf_counter() - t) * 1000)
            hits.append([r[0] for r in rows])
        return {"timesMs": times_ms, "cpuMs": cpu_ms, "articleIds": hits}

    print(
        json.dumps(
            {
                "build": {
                    "passages": len(passages),
                    "seconds": round(build_seconds, 3),
                    "bytes": os.path.getsize(args.db),
                    "sqlite": sqlite3.sqlite_version,
                    "python": sys.version.split()[0],
                    "emptyQueries": sum(m is None for m in matches),
                }
            }
        ),
        flush=True,
    )
    for line in sys.stdin:
        if line.strip() == "run":
            print(json.dumps(run()), flush=True)
        elif line.strip():
            print(json.dumps({"error": f"unknown command {line.strip()!r} (expected 'run')"}), flush=True)


def match_of(question: str):
    """The question's distinct words, each quoted, OR-ed; None for a question without any."""
    words = list(dict.fromkeys(w.lower() for w in re.findall(r"[^\W_]+", question)))
    if not words:
        return None
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


if __name__ == "__main__":
    main()
