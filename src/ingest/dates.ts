/**
 * Publication dates in whatever shape sources write them → `YYYY-MM-DD`.
 *
 * We keep the calendar date as the source wrote it and drop the time: "2024-03-01T23:30:00+07:00"
 * is "2024-03-01" (the reader's date in Vietnam), not the UTC date. Day-first is assumed for
 * numeric dates with the year last ("01/03/2024" is 1 March), as Vietnamese papers write them.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH_NAME = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?";

// Each pattern yields [year, month, day] from its match.
const PATTERNS: Array<[RegExp, (m: RegExpMatchArray) => [string, string, string]]> = [
  // 2024-03-01, 2024/3/1, 2024-03-01T08:00:00Z, 2024-03-01 08:00
  [/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])/, (m) => [m[1]!, m[2]!, m[3]!]],
  // 20240301, 20240301T080000
  [/^(\d{4})(\d{2})(\d{2})(?:T[\d:.+Z-]*)?$/, (m) => [m[1]!, m[2]!, m[3]!]],
  // 01/03/2024, 1-3-2024, 01.03.2024, anywhere ("Thứ sáu, 01/03/2024 08:30")
  [/(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)/, (m) => [m[3]!, m[2]!, m[1]!]],
  // ngày 1 tháng 3 năm 2024
  [/ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu, (m) => [m[3]!, m[2]!, m[1]!]],
  // 1 March 2024, Fri, 01 Mar 2024 08:00:00 +0700
  [new RegExp(`(?<!\\d)(\\d{1,2})\\s+${MONTH_NAME},?\\s+(\\d{4})`, "i"), (m) => [m[3]!, monthNumber(m[2]!), m[1]!]],
  // March 1, 2024
  [new RegExp(`${MONTH_NAME}\\s+(\\d{1,2}),?\\s+(\\d{4})`, "i"), (m) => [m[3]!, monthNumber(m[1]!), m[2]!]],
];

function monthNumber(name: string): string {
  return String(MONTHS[name.slice(0, 3).toLowerCase()] ?? 0);
}

/**
 * `YYYY-MM-DD`, or `null` when the value is missing or not a real calendar date.
 * Accepts strings (see the patterns above), `Date` objects (YAML front matter gives those; their
 * UTC date is used) and `yyyymmdd` numbers.
 *
 * @example
 *   parseDate("Thứ sáu,  01/03/2024"); // "2024-03-01"
 *   parseDate("2024-03-01 08:30");      // "2024-03-01"
 */
export function parseDate(value: unknown): string | null {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  }
  if (typeof value === "number" && Number.isInteger(value)) return parseDate(String(value));
  if (typeof value !== "string") return null;
  const text = value.trim();
  for (const [pattern, parts] of PATTERNS) {
    const m = text.match(pattern);
    if (!m) continue;
    const date = isoDate(...parts(m));
    if (date) return date;
  }
  return null;
}

function isoDate(year: string, month: string, day: string): string | null {
  const [y, mo, d] = [Number(year), Number(month), Number(day)];
  if (y < 1900 || y > 2200) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}
