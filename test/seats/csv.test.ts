import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, test } from "vitest";
import { DomainError } from "../../src/core/errors.ts";
import type { SeatInput } from "../../src/core/seats/plan.ts";
import { parseSeatCsv, seatCsvTemplate } from "../../src/server/http/seat-csv.ts";

const collect = async (bytes: Buffer | string, chunk = 7): Promise<SeatInput[]> => {
  const buf = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  const out: SeatInput[] = [];
  for await (const r of parseSeatCsv(Readable.from(parts))) out.push(r);
  return out;
};

const rejectsCsv = (bytes: Buffer | string, line: number, pattern: RegExp) =>
  assert.rejects(collect(bytes), (error: unknown) => {
    assert.ok(error instanceof DomainError, `DomainError, got ${String(error)}`);
    assert.equal(error.code, "CSV_INVALID");
    assert.equal(error.details?.line, line, error.message);
    assert.match(error.message, pattern);
    assert.match(error.message, new RegExp(`^Line ${line}: `));
    return true;
  });

describe("seat CSV parsing", () => {
  test("the template header parses; rows keep their line numbers, quotes and a UTF-8 BOM are handled", async () => {
    const text = `\uFEFF${seatCsvTemplate}ada@contoso.com,calling;sync,+14255550100,"Lovelace, Ada"\r\n\r\n"bob@contoso.com",sync,,"Bob ""B"" Smith"\r\nzoë@contoso.com,sync,,Zoë\r\n`;
    const rows = await collect(text, 3);
    assert.deepEqual(rows, [
      {
        line: 2,
        email: "ada@contoso.com",
        seatKinds: ["calling", "sync"],
        phoneNumber: "+14255550100",
        displayName: "Lovelace, Ada",
      },
      {
        line: 4,
        email: "bob@contoso.com",
        seatKinds: ["sync"],
        phoneNumber: null,
        displayName: 'Bob "B" Smith',
      },
      { line: 5, email: "zoë@contoso.com", seatKinds: ["sync"], phoneNumber: null, displayName: "Zoë" },
    ]);
  });

  test("columns may come in any order and be a subset of the template", async () => {
    const rows = await collect("seat_kinds,EMAIL\nsync,a@b.com\n");
    assert.deepEqual(rows, [
      { line: 2, email: "a@b.com", seatKinds: ["sync"], phoneNumber: null, displayName: null },
    ]);
  });

  test("an empty e-mail cell becomes an error row, not a failed upload", async () => {
    const rows = await collect("email,seat_kinds\n ,sync\n");
    assert.deepEqual(rows, [{ line: 2, email: null, invalid: "line 2: the email cell is empty" }]);
  });

  test("wrong encoding: Latin-1 bytes are rejected naming the line", async () => {
    const latin1 = Buffer.concat([
      Buffer.from(
        "email,seat_kinds,phone_number,display_name\nada@contoso.com,sync,,Ada\nzoe@contoso.com,sync,,Zo",
      ),
      Buffer.from([0xeb]),
      Buffer.from("\n"),
    ]);
    await rejectsCsv(latin1, 3, /not UTF-8/);
  });

  test("UTF-16 files are rejected with advice", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("email,seat_kinds\n", "utf16le")]);
    await rejectsCsv(utf16, 1, /UTF-16/);
  });

  test("a missing header is named as such", async () => {
    await rejectsCsv("ada@contoso.com,sync,,Ada\n", 1, /header row is missing/);
  });

  test("unknown and duplicate header columns are rejected", async () => {
    await rejectsCsv("email,seat_kinds,department\n", 1, /unknown column "department"/);
    await rejectsCsv("email,email\n", 1, /appears twice/);
  });

  test("a row with extra columns names its line", async () => {
    await rejectsCsv(
      "email,seat_kinds\na@b.com,sync\nc@d.com,sync,extra\n",
      3,
      /different number of columns/,
    );
  });

  test("bad quotes name their line", async () => {
    await rejectsCsv('email,seat_kinds\na@b.com,sync\n"c@d.com"x,sync\n', 3, /quote is misplaced/);
    await rejectsCsv('email,seat_kinds\na@b.com,sync\nc@d.com,"sync\n', 3, /never closed/);
  });

  test("a 10 MB line is refused without buffering it whole", async () => {
    const huge = `email,seat_kinds,phone_number,display_name\na@b.com,sync,,${"x".repeat(10 * 1024 * 1024)}\n`;
    await rejectsCsv(huge, 2, /longer than 64 KB/);
  });

  test("a file over the upload limit is refused with PAYLOAD_TOO_LARGE naming the limit, while it streams", async () => {
    const row = "someone@contoso.com,sync,,Someone\r\n";
    let sent = 0;
    async function* file(): AsyncGenerator<Buffer> {
      yield Buffer.from(seatCsvTemplate);
      for (;;) {
        sent += 64 * 1024;
        yield Buffer.from(row.repeat(Math.ceil((64 * 1024) / row.length)));
      }
    }
    let rows = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of parseSeatCsv(file(), { maxBytes: 256 * 1024 })) rows++;
      })(),
      (error: unknown) => {
        assert.ok(error instanceof DomainError, `DomainError, got ${String(error)}`);
        assert.equal(error.code, "PAYLOAD_TOO_LARGE");
        assert.equal(error.message, "The file is larger than 256 KB.");
        assert.deepEqual(error.details, { limitBytes: 256 * 1024 });
        return true;
      },
    );
    assert.ok(rows > 0, "rows before the limit were parsed as they arrived");
    assert.ok(sent <= 256 * 1024 + 64 * 1024, `read ${sent} bytes of an endless file`);
  });

  test("empty files and header-only files are refused", async () => {
    await rejectsCsv("", 1, /empty/);
    await rejectsCsv("email,seat_kinds\n", 2, /no rows/);
  });
});
