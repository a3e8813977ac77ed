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
