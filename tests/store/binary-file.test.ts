import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IndexError } from "../../src/domain/errors";
import { allocateSections, readSections, readSectionsAt, sectionsEqual, sectionTable } from "../../src/store/binary-file";

describe("binary index files", () => {
  it("round-trips typed-array sections, each 8-byte aligned", () => {
    const { buffer, sections } = allocateSections("TESTFILE", 3, [
      { kind: "u8", length: 5 },
      { kind: "f64", length: 2 },
      { kind: "u32", length: 3 },
      { kind: "f32", length: 0 },
      { kind: "f32", length: 1 },
    ]);
    (sections[0] as Uint8Array).set([1, 2, 3, 4, 5]);
    (sections[1] as Float64Array).set([Math.PI, -0.5]);
    (sections[2] as Uint32Array).set([0, 2 ** 32 - 1, 7]);
    (sections[4] as Float32Array).set([1.5]);
    const copy = new Uint8Array(buffer).slice().buffer; // as read back from a file
    const read = readSections(copy, "TESTFILE", 3, ["u8", "f64", "u32", "f32", "f32"], "test");
    expect(read.map((s) => [...s])).toEqual([[1, 2, 3, 4, 5], [Math.PI, -0.5], [0, 2 ** 32 - 1, 7], [], [1.5]]);
    for (const section of read) expect(section.byteOffset % 8).toBe(0);
    expect(read[1]).toBeInstanceOf(Float64Array);
  });

  it("refuses another kind of file, another version, other sections, or a file cut short", () => {
    const { buffer } = allocateSections("TESTFILE", 3, [{ kind: "u32", length: 1000 }]);
    const read = (b: ArrayBuffer, magic = "TESTFILE", version = 3, kinds: Array<"u32" | "f32"> = ["u32"]) => () => readSections(b, magic, version, kinds, "x.bin");
    expect(read(buffer, "OTHERFIL")).toThrow(IndexError);
    expect(read(buffer, "TESTFILE", 4)).toThrow(/version 3, expected 4.*--rebuild/);
    expect(read(buffer, "TESTFILE", 3, ["f32"])).toThrow(/kind/);
    expect(read(buffer, "TESTFILE", 3, ["u32", "u32"])).toThrow(/sections/);
    expect(read(buffer.slice(0, 2000))).toThrow(/outside the file/);
    expect(read(new TextEncoder().encode('{"version":1,"terms":[]}').buffer as ArrayBuffer)).toThrow(/magic/);
  });

  it("reads some sections of a file into one buffer, and compares others with sections in memory", async () => {
    const kinds = ["u8", "u32", "f32", "u32", "f64"] as const;
    const lengths = [5, 3, 2, 300_000, 1];
    const { buffer, sections } = allocateSections("TESTFILE", 1, kinds.map((kind, i) => ({ kind, length: lengths[i]! })));
    sections.forEach((section, i) => section.forEach((_, k) => (section[k] = (k * 7 + i) % 251)));
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "binary-file-"));
    const file = path.join(dir, "x.bin");
    try {
      await fs.writeFile(file, new Uint8Array(buffer));
      const table = sectionTable(buffer, "TESTFILE", 1, [...kinds], file);
      const handle = await fs.open(file, "r");
      try {
        // Sections 0, 2 and 4, leaving out 1 and 3: three reads, each view 8-byte aligned, all in one buffer.
        const read = await readSectionsAt(handle, [table[0]!, table[2]!, table[4]!], file);
        expect(read.map((s) => [...s])).toEqual([[...sections[0]!], [...sections[2]!], [...sections[4]!]]);
        expect(new Set(read.map((s) => s.buffer)).size).toBe(1);
        expect(read[2]!.buffer.byteLength).toBe(24);
        for (const section of read) expect(section.byteOffset % 8).toBe(0);
        // Section 3 is longer than the mebibyte compared at a time; a change in its last element is seen.
        const changed = sections[3]!.slice();
        changed[changed.length - 1]! += 1;
        const pairs = [
          { entry: table[3]!, section: sections[3]! },
          { entry: table[3]!, section: changed },
          { entry: table[1]!, section: sections[1]!.subarray(0, 2) },
          { entry: table[1]!, section: new Float32Array(sections[1]!) },
          { entry: table[0]!, section: sections[0]! },
        ];
        expect(await sectionsEqual(handle, pairs, file)).toEqual([true, false, false, false, true]);
      } finally {
        await handle.close();
      }
      await fs.writeFile(file, new Uint8Array(buffer).subarray(0, table[4]!.offset));
      const short = await fs.open(file, "r");
      try {
        await expect(readSectionsAt(short, [table[3]!, table[4]!], file)).rejects.toThrow(/cut short/);
      } finally {
        await short.close();
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
