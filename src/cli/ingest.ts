import { parseArgs } from "node:util";
import path from "node:path";
import cliProgress from "cli-progress";
import { assertCorpusPaths, describeFileFailures, failuresByFile, ingest } from "../app";
import type { Config } from "../config";
import { CorpusPathError, IndexBusyError, RemovalRefusedError } from "../domain/errors";
import { loadEmbedderOrExplain } from "../embed";
import type { Logger } from "../logger";
import type { BuildProgress } from "../store";
import { parseCommandLine } from "./args";

export const INGEST_USAGE = "usage: npm run ingest -- [--corpus PATH ...] [--index DIR] [--rebuild] [--strict] [--allow-removals]";

/**
 * `npm run ingest`: corpus → embeddings/, incremental unless --rebuild.
 *
 * Exit codes: 0 done (even when some files were skipped, unless --strict: then 1); 1 refused or
 * failed (the run would remove more than half of the indexed articles without --allow-removals,
 * or another build is writing to the index); 2 a usage error, such as an unknown flag or a
 * corpus path that does not exist. When it refuses, nothing is written: the index in service,
 * and the bot watching it, keep what they have.
 */
export async function runIngestCli(
  argv: string[],
  config: Config,
  logger: Logger,
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommandLine(INGEST_USAGE, err, () =>
    parseArgs({
      args: argv,
      options: {
        corpus: { type: "string", multiple: true },
        index: { type: "string" },
        rebuild: { type: "boolean", default: false },
        strict: { type: "boolean", default: false },
        "allow-removals": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }),
  );
  if (!parsed) return 2;
  const { values } = parsed;
  if (values.help) {
    out.write(`${INGEST_USAGE}\n`);
    return 0;
  }
  const paths = values.corpus?.map((p) => path.resolve(p)) ?? [config.corpusDir];
  const indexDir = values.index ? path.resolve(values.index) : config.indexDir;
  try {
    await assertCorpusPaths(paths);
  } catch (error) {
    if (!(error instanceof CorpusPathError)) throw error;
    err.write(`${error.message}.\n`);
    return 2;
  }
  // In bulk: this process only embeds (see TransformersEmbedderOptions.bulk).
  const { embedder, reason } = await loadEmbedderOrExplain(config.embedding, logger, { bulk: true });
  if (!embedder) {
    out.write(
      `Dense retrieval is off: ${reason}. Building the lexical index only.\n` +
        `To enable it, run once with internet access (the model ${config.embedding.model} is cached in ${config.embedding.cacheDir}), ` +
        `or set EMBEDDING_MODEL to a local model folder.\n`,
    );
  }
  const progress = createProgress(out);
  let result;
  try {
    // In process, not in the build worker the bot uses (src/app/build-thread.ts): this command has
    // no readers to keep answering, it has loaded the model already (a worker would load a second
    // copy), and its progress bar and Ctrl-C act on this thread directly.
    result = await ingest({
      config,
      logger,
      embedder,
      denseOffReason: reason,
      paths,
      indexDir,
      rebuild: values.rebuild,
      allowRemovals: values["allow-removals"],
      onProgress: progress.update,
      // Only the counts are reported: no load of the new version (after an incremental build, a whole index read).
      returnIndex: false,
    });
  } catch (error) {
    progress.stop();
    if (error instanceof RemovalRefusedError) {
      err.write(
        `Refused: ${error.message}. Check the corpus path (${paths.join(", ")}); ` +
          `if removing them is meant, run again with --allow-removals.\n`,
      );
      return 1;
    }
    if (error instanceof IndexBusyError || error instanceof CorpusPathError) {
      err.write(`${error.message}.\n`);
      return error instanceof CorpusPathError ? 2 : 1;
    }
    throw error;
  }
  progress.stop();

  // One line per file, whatever the number of bad records in it; each one is logged at debug level.
  const byFile = failuresByFile(result.failures);
  for (const file of byFile) out.write(`${describeFileFailures(file, path.relative(process.cwd(), file.path) || file.path)}\n`);
  if (byFile.some((f) => f.count > 1)) out.write(`(every skipped line or item, with its reason: LOG_LEVEL=debug)\n`);
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
