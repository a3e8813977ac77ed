import { parseArgs } from "node:util";
import path from "node:path";
import cliProgress from "cli-progress";
import { ingest } from "../app";
import type { Config } from "../config";
import { loadEmbedderOrExplain } from "../embed";
import type { Logger } from "../logger";
import type { BuildProgress } from "../store";

export const INGEST_USAGE = "usage: npm run ingest -- [--corpus PATH ...] [--index DIR] [--rebuild] [--strict]";

/**
 * `npm run ingest`: corpus → embeddings/, incremental unless --rebuild.
 * Exit code 0 even when some files were skipped, unless --strict (then 1).
 */
export async function runIngestCli(argv: string[], config: Config, logger: Logger, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: "string", multiple: true },
      index: { type: "string" },
      rebuild: { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    out.write(`${INGEST_USAGE}\n`);
    return 0;
  }
  const { embedder, reason } = await loadEmbedderOrExplain(config.embedding, logger);
  if (!embedder) {
    out.write(
      `Dense retrieval is off: ${reason}. Building the lexical index only.\n` +
        `To enable it, run once with internet access (the model ${config.embedding.model} is cached in ${config.embedding.cacheDir}), ` +
        `or set EMBEDDING_MODEL to a local model folder.\n`,
    );
  }
  const progress = createProgress(out);
  const result = await ingest({
    config,
    logger,
    embedder,
    denseOffReason: reason,
    paths: values.corpus?.map((p) => path.resolve(p)),
    indexDir: values.index ? path.resolve(values.index) : config.indexDir,
    rebuild: values.rebuild,
    onProgress: progress.update,
  });
  progress.stop();

  for (const failure of result.failures) out.write(`skipped ${failure.path}: ${failure.reason}\n`);
  const seconds = (result.totalMs / 1000).toFixed(1);
  out.write(
    result.written
      ? `Indexed ${result.articles} articles (${result.passages} passages) in ${seconds} s: ` +
          `${result.added} added, ${result.updated} updated, ${result.removed} removed, ${result.unchanged} unchanged, ` +
          `${result.failures.length} skipped; ${result.embedded} passages embedded${embedder ? "" : " (dense off)"}.\n`
      : `Up to date: ${result.articles} articles, nothing changed (${seconds} s); ${result.failures.length} skipped.\n`,
  );
  return values.strict && result.failures.length > 0 ? 1 : 0;
}

/** A progress bar on a terminal; a plain line every 10% otherwise (logs, CI). */
function createProgress(out: NodeJS.WriteStream) {
  const started = Date.now();
  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: "{phase} |{bar}| {articlesDone}/{articlesTotal} articles | {value}/{total} passages | {rate} passages/s | ETA {eta_formatted}",
        hideCursor: true,
        etaBuffer: 50,
        stream: out,
      },
      cliProgress.Presets.shades_classic,
    );
    let started_ = false;
    return {
      update(p: BuildProgress) {
        const rate = ((p.passagesDone / Math.max(1, Date.now() - started)) * 1000).toFixed(0);
        const payload = { phase: p.phase.padEnd(5), articlesDone: p.articlesDone, articlesTotal: p.articlesTotal, rate };
        if (!started_) {
          bar.start(Math.max(1, p.passagesTotal), p.passagesDone, payload);
          started_ = true;
        } else {
          bar.setTotal(Math.max(1, p.passagesTotal));
          bar.update(p.passagesDone, payload);
        }
      },
      stop: () => started_ && bar.stop(),
    };
  }
  let lastDecile = -1;
  let lastPhase = "";
  return {
    update(p: BuildProgress) {
      const decile = p.passagesTotal ? Math.floor((10 * p.passagesDone) / p.passagesTotal) : 0;
      if (p.phase === lastPhase && decile === lastDecile) return;
      [lastPhase, lastDecile] = [p.phase, decile];
      const rate = ((p.passagesDone / Math.max(1, Date.now() - started)) * 1000).toFixed(0);
      out.write(
        p.passagesTotal === 0
          ? `${p.phase}: ${p.articlesDone}/${p.articlesTotal} articles\n`
          : `${p.phase}: ${p.articlesDone}/${p.articlesTotal} articles, ${p.passagesDone}/${p.passagesTotal} passages, ${rate} passages/s\n`,
      );
    },
    stop: () => undefined,
  };
}
