/**
 * The OData query subset Graph directory endpoints accept: `$filter` (eq, ne, startsWith, endsWith, in,
 * and/or/not, `any` over collections), `$select`, `$top`, `$count` and the `ConsistencyLevel: eventual`
 * rule for advanced queries.
 */
import { badRequest, GraphError } from "../http.ts";

type Token = { kind: "str" | "ident" | "num" | "punct"; value: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw invalidFilter("unterminated string literal");
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      out.push({ kind: "str", value });
    } else if ("(),:".includes(c)) {
      out.push({ kind: "punct", value: c });
      i++;
    } else if (/[-\d]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      if (!m) throw invalidFilter(`unexpected '${c}'`);
      out.push({ kind: "num", value: m[0] });
      i += m[0].length;
    } else {
      const m = /^[A-Za-z_$][\w./$@]*/.exec(text.slice(i));
      if (!m) throw invalidFilter(`unexpected '${c}'`);
      out.push({ kind: "ident", value: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

function invalidFilter(detail: string): GraphError {
  return new GraphError(400, "BadRequest", `Invalid filter clause: ${detail}`);
}

export type Value = string | number | boolean | null | Value[];
export type Getter = (path: string) => Value | undefined;
export type Predicate = (get: Getter) => boolean;

export interface ParsedFilter {
  predicate: Predicate;
  /** True when the filter needs `ConsistencyLevel: eventual` (ne, not, endsWith). */
  advanced: boolean;
  /** Property paths referenced. */
  properties: string[];
}

export function parseFilter(text: string): ParsedFilter {
  const tokens = tokenize(text);
  let pos = 0;
  let advanced = false;
  const properties: string[] = [];
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw invalidFilter("unexpected end of expression");
    return t;
  };
  const expect = (value: string) => {
    const t = next();
    if (t.value !== value) throw invalidFilter(`expected '${value}' but found '${t.value}'`);
  };
  const literal = (): Value => {
    const t = next();
    if (t.kind === "str") return t.value;
    if (t.kind === "num") return Number(t.value);
    if (t.kind === "ident" && t.value === "true") return true;
    if (t.kind === "ident" && t.value === "false") return false;
    if (t.kind === "ident" && t.value === "null") return null;
    if (t.value === "(") {
      const list: Value[] = [];
      while (peek()?.value !== ")") {
        list.push(literal());
        if (peek()?.value === ",") next();
      }
      expect(")");
      return list;
    }
    throw invalidFilter(`expected a literal but found '${t.value}'`);
  };
  const compare = (op: string, left: Value | undefined, right: Value): boolean => {
    const l = typeof left === "string" ? left.toLowerCase() : left;
    const r = typeof right === "string" ? right.toLowerCase() : right;
    switch (op) {
      case "eq":
        return (l ?? null) === r;
      case "ne":
        return (l ?? null) !== r;
      case "gt":
        return l !== undefined && l !== null && r !== null && l > r;
      case "ge":
        return l !== undefined && l !== null && r !== null && l >= r;
      case "lt":
        return l !== undefined && l !== null && r !== null && l < r;
      case "le":
        return l !== undefined && l !== null && r !== null && l <= r;
      case "in":
        return Array.isArray(right) && right.some((v) => (typeof v === "string" ? v.toLowerCase() : v) === l);
      default:
        throw invalidFilter(`unsupported operator '${op}'`);
    }
  };
  const primary = (): Predicate => {
    const t = next();
    if (t.value === "(") {
      const inner = orExpr();
      expect(")");
      return inner;
    }
    if (t.kind !== "ident") throw invalidFilter(`unexpected '${t.value}'`);
    const lower = t.value.toLowerCase();
    if (lower === "not") {
      advanced = true;
      const inner = primary();
      return (g) => !inner(g);
    }
    if ((lower === "startswith" || lower === "endswith") && peek()?.value === "(") {
      if (lower === "endswith") advanced = true;
      expect("(");
      const prop = next().value;
      properties.push(prop);
      expect(",");
      const value = literal();
      expect(")");
      if (typeof value !== "string") throw invalidFilter(`${t.value} needs a string`);
      const v = value.toLowerCase();
      return (g) => {
        const got = g(prop);
        const list = Array.isArray(got) ? got : [got];
        return list.some(
          (x) =>
            typeof x === "string" &&
            (lower === "startswith" ? x.toLowerCase().startsWith(v) : x.toLowerCase().endsWith(v)),
        );
      };
    }
    // Collection lambda: proxyAddresses/any(p:p eq 'smtp:x')
    const lambda = /^(.+)\/any$/i.exec(t.value);
    if (lambda && peek()?.value === "(") {
      const collection = lambda[1] ?? "";
      properties.push(collection);
      expect("(");
      const variable = next().value;
      expect(":");
      const inner = orExpr(variable);
      expect(")");
      return (g) => {
        const items = g(collection);
        if (!Array.isArray(items)) return false;
        return items.some((item) => inner((p) => (p === variable ? item : undefined)));
      };
    }
    const prop = t.value;
    properties.push(prop);
    const op = next().value.toLowerCase();
    if (op === "ne") advanced = true;
    const value = literal();
    return (g) => compare(op, g(prop), value);
  };
  const andExpr = (): Predicate => {
    let left = primary();
    while (peek()?.kind === "ident" && peek()?.value.toLowerCase() === "and") {
      next();
      const right = primary();
      const l = left;
      left = (g) => l(g) && right(g);
    }
    return left;
  };
  const orExpr = (_variable?: string): Predicate => {
    let left = andExpr();
    while (peek()?.kind === "ident" && peek()?.value.toLowerCase() === "or") {
      next();
      const right = andExpr();
      const l = left;
      left = (g) => l(g) || right(g);
    }
    return left;
  };
  const predicate = orExpr();
  if (pos !== tokens.length) throw invalidFilter(`unexpected '${tokens[pos]?.value}'`);
  return { predicate, advanced, properties };
}

/** Applies `$select` (comma list, case-insensitive) to an object, always keeping `id` and `@odata.*`. */
export function applySelect(item: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (!select) return item;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (k.startsWith("@")) out[k] = v;
  for (const s of select) {
    const key = Object.keys(item).find((k) => k.toLowerCase() === s.toLowerCase());
    if (key !== undefined) out[key] = item[key];
  }
  if ("id" in item && !("id" in out)) out.id = item.id;
  return out;
}

export function parseSelect(query: URLSearchParams): string[] | null {
  const s = query.get("$select");
  return s
    ? s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : null;
}

export function parseTop(query: URLSearchParams, def: number, max: number): number {
  const t = query.get("$top");
  if (t === null) return def;
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`Invalid value '${t}' for $top.`, "Request_BadRequest");
  if (n > max)
    throw badRequest(
      `Invalid page size specified: '${n}'. Must be between 1 and ${max} inclusive.`,
      "Request_BadRequest",
    );
  return n;
}

export function requireEventual(headers: Record<string, string>, what: string): void {
  if ((headers.consistencylevel ?? "").toLowerCase() !== "eventual") {
    throw new GraphError(
      400,
      "Request_UnsupportedQuery",
      `Unsupported Query. ${what} requires the ConsistencyLevel header set to eventual.`,
    );
  }
}
