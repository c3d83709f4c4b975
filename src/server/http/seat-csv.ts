/**
 * The seat CSV: template and streaming parser. Bytes become validated rows here (never in core). The file
 * is decoded and parsed as it arrives, so a 100,000-row upload needs memory for one record at a time.
 * Structural problems (encoding, header, column count, quotes, oversized lines) are CSV_INVALID naming the
 * line; problems inside a row (bad e-mail, bad phone, unknown seat kind) become that row's error in the plan.
 */
import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { z } from "zod";
import { DomainError } from "../../core/errors.ts";
import type { SeatInput } from "../../core/seats/plan.ts";
import { payloadTooLarge } from "./errors.ts";

export const seatCsvColumns = ["email", "seat_kinds", "phone_number", "display_name"] as const;
type Column = (typeof seatCsvColumns)[number];

/**
 * The template starts with a byte order mark: without it Excel opens a UTF-8 file in the computer's ANSI
 * code page and garbles accented names. The parser accepts files with and without one.
 */
export const seatCsvTemplate = `\uFEFF${seatCsvColumns.join(",")}\r\n`;

/** The separators Excel writes by locale: `,` (en), `;` (pt-BR, fr, de, ...), tab ("Unicode text"). */
export const seatCsvDelimiters = [",", ";", "\t"] as const;

/**
 * The largest seat CSV accepted, counted as it streams in. A 100,000-row file is about 5 MB; the limit
 * leaves room for long display names without letting one upload run for minutes.
 */
export const seatCsvMaxBytes = 50 * 1024 * 1024;

/** The longest record accepted; longer ones are rejected before they are buffered whole. */
export const maxRecordBytes = 64 * 1024;

const rowSchema = z.object({
  email: z.string().trim().min(1, "the email cell is empty").max(320, "the e-mail address is too long"),
  seat_kinds: z
    .string()
    .default("")
    .transform((s) => s.split(/[;|\s]+/).filter((k) => k !== "")),
  phone_number: z
    .string()
    .trim()
    .max(40, "the phone number is too long")
    .optional()
    .transform((s) => (s ? s : null)),
  display_name: z
    .string()
    .trim()
    .max(256)
    .optional()
    .transform((s) => (s ? s : null)),
});

/**
 * Why a file is refused, for the hosts to word: the tab and the bot word `details.reason` with the other
 * details as parameters; the English message is for API callers and the log.
 */
export type CsvReason =
  | "CSV_UTF16"
  | "CSV_NOT_UTF8"
  | "CSV_EMPTY"
  | "CSV_NO_ROWS"
  | "CSV_NO_HEADER"
  | "CSV_NO_EMAIL_COLUMN"
  | "CSV_UNKNOWN_COLUMN"
  | "CSV_DUPLICATE_COLUMN";

const invalid = (
  line: number,
  problem: string,
  cause?: unknown,
  reason?: { reason: CsvReason; [param: string]: string | number },
) =>
  new DomainError("CSV_INVALID", `Line ${line}: ${problem}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { line, ...reason },
  });

const saveAsUtf8 = 'save it in Excel as "CSV UTF-8 (Comma delimited)" and upload it again';

/** UTF-16 without a byte order mark: every other byte of ASCII text is zero. */
function looksLikeUtf16(buf: Buffer): boolean {
  const n = Math.min(buf.length, 64);
  let zeros = 0;
  for (let i = 0; i < n; i++) if (buf[i] === 0) zeros++;
  return n >= 4 && zeros * 3 >= n;
}

/**
 * The separator of the file, read from its header line: the one of `,` `;` tab that occurs most often
 * outside quotes (a comma when there is none, as in a one-column file).
 */
export function detectDelimiter(headerLine: string): (typeof seatCsvDelimiters)[number] {
  const counts = new Map<string, number>(seatCsvDelimiters.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: (typeof seatCsvDelimiters)[number] = ",";
  for (const d of seatCsvDelimiters) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Decodes UTF-8 strictly while counting lines, so a bad byte is reported with its line number. */
async function* decodeUtf8(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let line = 1;
  let bytes = 0;
  let first = true;
  for await (const chunk of source) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    bytes += buf.length;
    if (bytes > maxBytes) throw payloadTooLarge(maxBytes, "The file");
    if (first && buf.length >= 2) {
      first = false;
      const b0 = buf[0];
      const b1 = buf[1];
      if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || looksLikeUtf16(buf)) {
        throw invalid(1, `the file is UTF-16 encoded (Excel's "Unicode text"); ${saveAsUtf8}`, undefined, {
          reason: "CSV_UTF16",
        });
      }
    }
    let text: string;
    try {
      text = decoder.decode(buf, { stream: true });
    } catch (error) {
      // Find the line of the first bad byte: decode the good prefix of this chunk.
      let goodEnd = 0;
      const probe = new TextDecoder("utf-8", { fatal: false });
      const partial = probe.decode(buf);
      const bad = partial.indexOf("\uFFFD");
      goodEnd = bad < 0 ? partial.length : bad;
      const before = partial.slice(0, goodEnd);
      const at = line + (before.match(/\n/g)?.length ?? 0);
      throw invalid(at, `the file is not UTF-8 text (an ANSI or other encoding); ${saveAsUtf8}`, error, {
        reason: "CSV_NOT_UTF8",
      });
    }
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) line++;
    if (text) yield text;
  }
  try {
    const tail = decoder.decode();
    if (tail) yield tail;
  } catch (error) {
    throw invalid(line, `the file ends in the middle of a character (wrong encoding); ${saveAsUtf8}`, error, {
      reason: "CSV_NOT_UTF8",
    });
  }
}

function describeCsvError(error: CsvError): { line: number; problem: string } {
  const lines = (error as unknown as { lines?: unknown }).lines;
  const line = typeof lines === "number" ? lines : 1;
  switch (error.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
    case "CSV_RECORD_INCONSISTENT_COLUMNS":
      return {
        line,
        problem: `the row has a different number of columns than the header (${seatCsvColumns.join(",")})`,
      };
    case "CSV_QUOTE_NOT_CLOSED":
      return { line, problem: "a quoted field is never closed" };
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return { line, problem: 'a quote is misplaced; write a quote inside a quoted field as ""' };
    case "CSV_MAX_RECORD_SIZE":
      return { line, problem: `the line is longer than ${maxRecordBytes / 1024} KB` };
    default:
      return { line, problem: error.message };
  }
}

export interface ParseSeatCsvOptions {
  /** Upper bound of the upload in bytes (default `seatCsvMaxBytes`). */
  readonly maxBytes?: number;
}

/**
 * Streams the rows of a seat CSV. The header must name columns of the template (email first or anywhere;
 * unknown columns are rejected). Throws CSV_INVALID (details.line) on the first structural problem.
 */
export async function* parseSeatCsv(
  source: Readable | AsyncIterable<Buffer | string>,
  options: ParseSeatCsvOptions = {},
): AsyncGenerator<SeatInput> {
  const text = decodeUtf8(source as AsyncIterable<Buffer | string>, options.maxBytes ?? seatCsvMaxBytes)[
    Symbol.asyncIterator
  ]();
  // The header line tells the separator: read up to its end (or one record's worth) before parsing.
  let head = "";
  while (!head.includes("\n") && head.length <= maxRecordBytes) {
    const next = await text.next();
    if (next.done) break;
    head += next.value;
  }
  const parser = parse({
    bom: true,
    info: true,
    delimiter: detectDelimiter(head.includes("\n") ? head.slice(0, head.indexOf("\n")) : head),
    skip_empty_lines: true,
    max_record_size: maxRecordBytes,
    relax_column_count: false,
  });
  async function* chunks(): AsyncGenerator<string> {
    if (head) yield head;
    for (let next = await text.next(); !next.done; next = await text.next()) yield next.value;
  }
  // Feed the parser from the decoder; errors of either side end the iteration below.
  let feedError: unknown;
  const feeding = (async () => {
    try {
      for await (const chunk of chunks()) {
        if (parser.destroyed) return;
        if (!parser.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              parser.off("drain", done);
              parser.off("close", done);
              resolve();
            };
            parser.on("drain", done);
            parser.on("close", done);
          });
        }
      }
      parser.end();
    } catch (error) {
      feedError = error;
      parser.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();

  let columns: (Column | null)[] | null = null;
  let seen = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      const line = info.lines;
      if (columns === null) {
        columns = readHeader(record, line);
        continue;
      }
      seen++;
      const cells: Record<string, string> = {};
      columns.forEach((c, i) => {
        if (c) cells[c] = record[i] ?? "";
      });
      const parsed = rowSchema.safeParse(cells);
      if (!parsed.success) {
        yield {
          line,
          email: cells.email?.trim() || null,
          invalid: `line ${line}: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
        };
        continue;
      }
      yield {
        line,
        email: parsed.data.email,
        seatKinds: parsed.data.seat_kinds,
        phoneNumber: parsed.data.phone_number,
        displayName: parsed.data.display_name,
      };
    }
  } catch (error) {
    if (feedError !== undefined) throw feedError;
    if (error instanceof CsvError) {
      const { line, problem } = describeCsvError(error);
      throw invalid(line, problem, error);
    }
    throw error;
  } finally {
    if (!parser.destroyed) parser.destroy();
    await feeding;
  }
  if (feedError !== undefined) throw feedError;
  if (columns === null)
    throw invalid(1, `the file is empty; start from the template (${seatCsvColumns.join(",")})`, undefined, {
      reason: "CSV_EMPTY",
    });
  if (seen === 0) throw invalid(2, "the file has a header but no rows", undefined, { reason: "CSV_NO_ROWS" });
}

function readHeader(record: readonly string[], line: number): (Column | null)[] {
  const names = record.map((c) => c.trim().toLowerCase());
  if (!names.includes("email")) {
    const looksLikeData = record.some((c) => c.includes("@"));
    throw looksLikeData
      ? invalid(
          line,
          `the header row is missing; the first line must be ${seatCsvColumns.join(",")}`,
          undefined,
          {
            reason: "CSV_NO_HEADER",
          },
        )
      : invalid(line, `the header has no "email" column; expected ${seatCsvColumns.join(",")}`, undefined, {
          reason: "CSV_NO_EMAIL_COLUMN",
        });
  }
  const out: (Column | null)[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!(seatCsvColumns as readonly string[]).includes(name)) {
      throw invalid(
        line,
        `unknown column "${name}"; the columns are ${seatCsvColumns.join(",")}`,
        undefined,
        {
          reason: "CSV_UNKNOWN_COLUMN",
          column: name,
        },
      );
    }
    if (seen.has(name))
      throw invalid(line, `the column "${name}" appears twice`, undefined, {
        reason: "CSV_DUPLICATE_COLUMN",
        column: name,
      });
    seen.add(name);
    out.push(name as Column);
  }
  return out;
}
