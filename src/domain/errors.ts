/**
 * Named errors, one per boundary, each carrying what it needs to say how to fix the problem.
 */

/** A corpus file that could not be read or parsed. The run reports it and goes on. */
export class ArticleParseError extends Error {
  override readonly name = "ArticleParseError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** The settings (environment or `.env`) are invalid. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** `embeddings/` cannot be used as it is: missing, another format or another model. */
export class IndexError extends Error {
  override readonly name = "IndexError";
  constructor(
    message: string,
    readonly hint = "run `npm run ingest -- --rebuild`",
  ) {
    super(`${message}: ${hint}.`);
  }
}

/** The embedding model could not be loaded (offline, missing files, bad ONNX). */
export class ModelLoadError extends Error {
  override readonly name = "ModelLoadError";
  constructor(
    readonly model: string,
    readonly reason: string,
  ) {
    super(`could not load embedding model ${model}: ${reason}`);
  }
}

/**
 * A corpus path named on the command line (or as `CORPUS_DIR`) does not exist. Refused before
 * anything is read or written: a typo must not read as "the corpus is empty" and remove every
 * indexed article.
 */
export class CorpusPathError extends Error {
  override readonly name = "CorpusPathError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`corpus path ${path} ${reason}: check the path (--corpus or CORPUS_DIR); nothing was indexed or removed`);
  }
}

/**
 * A build would remove more than half of the articles in the index it replaces, and was not told
 * that this is meant. Nothing was written; the version in service stays.
 */
export class RemovalRefusedError extends Error {
  override readonly name = "RemovalRefusedError";
  constructor(
    readonly removed: number,
    readonly indexed: number,
    readonly dir: string,
  ) {
    super(`this build would remove ${removed} of the ${indexed} articles indexed in ${dir}; nothing was written`);
  }
}

/** Another build is writing into the same index folder (its lock is held by a live process). */
export class IndexBusyError extends Error {
  override readonly name = "IndexBusyError";
  constructor(
    readonly dir: string,
    readonly holder: string,
  ) {
    super(`another build (${holder}) is writing to ${dir}: wait for it to finish, then run this again`);
  }
}

/**
 * The index build's worker thread ended before it finished: killed, out of memory, or crashed.
 * What it wrote is removed and the version in service stays; the admin reads this message.
 */
export class BuildStoppedError extends Error {
  override readonly name = "BuildStoppedError";
  constructor(readonly reason: string) {
    super(`the index build stopped before it finished (${reason}); the index in service is unchanged`);
  }
}
