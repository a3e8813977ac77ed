import { describe, expect, it } from "vitest";
import { parseDate } from "../../src/ingest/dates";

describe("parseDate", () => {
  it.each([
    ["Thứ sáu,  01/03/2024", "2024-03-01"],
    ["1/3/2024", "2024-03-01"],
    ["01-03-2024 08:30", "2024-03-01"],
    ["2024-03-01", "2024-03-01"],
    ["2024-03-01 23:30", "2024-03-01"],
    ["2024-03-01T23:30:00+07:00", "2024-03-01"], // the date as written, not converted to UTC
    ["2024/3/1", "2024-03-01"],
    ["20240301", "2024-03-01"],
    [20240301, "2024-03-01"],
    ["ngày 1 tháng 3 năm 2024", "2024-03-01"],
    ["Fri, 01 Mar 2024 08:00:00 +0700", "2024-03-01"],
    ["March 1, 2024", "2024-03-01"],
    [new Date(Date.UTC(2024, 2, 1)), "2024-03-01"],
  ])("%s → %s", (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it.each([["31/02/2024"], ["2024-13-01"], ["hôm qua"], [""], [null], [undefined], [{}], [new Date(Number.NaN)]])(
    "%s → null",
    (input) => {
      expect(parseDate(input)).toBeNull();
    },
  );
});
