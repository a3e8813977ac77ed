import { describe, expect, it } from "vitest";
import { IndexError } from "../../src/domain/errors";
import { allocateSections, readSections } from "../../src/store/binary-file";

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
});
