/**
 * The subset of CEL (https://github.com/google/cel-spec) that Workload Identity Federation
 * attribute conditions and mappings use, evaluated the way Google evaluates them: string, number,
 * boolean and list literals; `a.b` field selection on maps (a missing key is an error, not false);
 * `has(a.b)`; `!`, `&&`, `||` (commutative: `false && error` is false, `true || error` is true);
 * `==`, `!=`, `in`; `+` on strings; `c ? x : y`; and the string methods `startsWith`, `endsWith`,
 * `contains`. Anything else is a parse error, so an expression the simulator cannot read fails the
 * test instead of passing it. Dependency-free.
 *
 * Google: an attribute condition that errors or is not `true` rejects the credential; a mapping
 * that errors fails the exchange
 * (https://cloud.google.com/iam/docs/workload-identity-federation#conditions, #mapping).
 */

/** A CEL value: JSON-like data, or an evaluation error (CEL errors are values until they reach the top). */
export type CelValue = string | number | boolean | null | CelValue[] | { [key: string]: CelValue } | CelError;

export class CelError {
    constructor(readonly message: string) {}
}

type Node =
    | { k: "lit"; v: CelValue }
    | { k: "ident"; name: string }
    | { k: "select"; of: Node; field: string }
    | { k: "has"; of: Node; field: string }
    | { k: "call"; of: Node; method: string; args: Node[] }
    | { k: "list"; items: Node[] }
    | { k: "not"; of: Node }
    | { k: "bin"; op: string; l: Node; r: Node }
    | { k: "cond"; c: Node; t: Node; f: Node };

const TOKEN = /\s*(?:(\d+)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|[!?:().,[\]+]))/y;

function tokenize(source: string): string[] {
    const tokens: string[] = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < source.length) {
        if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
        const start = TOKEN.lastIndex;
        const m = TOKEN.exec(source);
        if (!m) throw new SyntaxError(`CEL: cannot read "${source.slice(start, start + 20)}" in: ${source}`);
        tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    }
    return tokens;
}

/** Parses an expression of the supported subset; throws SyntaxError on anything else. */
export function parseCel(source: string): Node {
    const tokens = tokenize(source);
    let i = 0;
    const peek = () => tokens[i];
    const take = (expected?: string) => {
        const t = tokens[i++];
        if (t === undefined || (expected !== undefined && t !== expected))
            throw new SyntaxError(`CEL: expected ${expected ?? "more"} at token ${i} of: ${source}`);
        return t;
    };
    const expr = (): Node => {
        const c = or();
        if (peek() !== "?") return c;
        take("?");
        const t = expr();
        take(":");
        return { k: "cond", c, t, f: expr() };
    };
    const binary = (ops: string[], next: () => Node) => (): Node => {
        let l = next();
        while (ops.includes(peek())) {
            const op = take();
            l = { k: "bin", op, l, r: next() };
        }
        return l;
    };
    const unary = (): Node => {
        if (peek() !== "!") return member();
        take("!");
        return { k: "not", of: unary() };
    };
    const add = binary(["+"], unary);
    const rel = binary(["==", "!=", "in"], add);
    const and = binary(["&&"], rel);
    const or = binary(["||"], and);
    const member = (): Node => {
        let node = primary();
        while (peek() === ".") {
            take(".");
            const field = take();
            if (peek() === "(") {
                take("(");
                const args: Node[] = [];
                while (peek() !== ")") {
                    args.push(expr());
                    if (peek() === ",") take(",");
                }
                take(")");
                node = { k: "call", of: node, method: field, args };
            } else node = { k: "select", of: node, field };
        }
        return node;
    };
    const primary = (): Node => {
        const t = take();
        if (t === "(") {
            const inner = expr();
            take(")");
            return inner;
        }
        if (t === "[") {
            const items: Node[] = [];
            while (peek() !== "]") {
                items.push(expr());
                if (peek() === ",") take(",");
            }
            take("]");
            return { k: "list", items };
        }
        if (t === "has") {
            take("(");
            const sel = member();
            take(")");
            if (sel.k !== "select") throw new SyntaxError(`CEL: has() needs a field selection: ${source}`);
            return { k: "has", of: sel.of, field: sel.field };
        }
        if (/^\d+$/.test(t)) return { k: "lit", v: Number(t) };
        if (/^['"]/.test(t)) return { k: "lit", v: JSON.parse(`"${t.slice(1, -1).replace(/"/g, '\\"').replace(/\\'/g, "'")}"`) };
        if (t === "true" || t === "false") return { k: "lit", v: t === "true" };
        if (t === "null") return { k: "lit", v: null };
        if (/^[A-Za-z_]/.test(t)) return { k: "ident", name: t };
        throw new SyntaxError(`CEL: unexpected "${t}" in: ${source}`);
    };
    const node = expr();
    if (i !== tokens.length) throw new SyntaxError(`CEL: unexpected "${tokens[i]}" in: ${source}`);
    return node;
}

const isError = (v: CelValue): v is CelError => v instanceof CelError;
const isMap = (v: CelValue): v is { [key: string]: CelValue } => typeof v === "object" && v !== null && !Array.isArray(v) && !isError(v);

function evalNode(node: Node, vars: Record<string, CelValue>): CelValue {
    switch (node.k) {
        case "lit":
            return node.v;
        case "ident":
            return node.name in vars ? vars[node.name] : new CelError(`undeclared reference to '${node.name}'`);
        case "list":
            return node.items.map((n) => evalNode(n, vars));
        case "select":
        case "has": {
            const of = evalNode(node.of, vars);
            if (isError(of)) return of;
            if (!isMap(of)) return new CelError(`cannot select '${node.field}' from a non-map`);
            if (node.k === "has") return Object.hasOwn(of, node.field);
            return Object.hasOwn(of, node.field) ? of[node.field] : new CelError(`no such key: ${node.field}`);
        }
        case "call":
            return callMethod(
                evalNode(node.of, vars),
                node.method,
                node.args.map((a) => evalNode(a, vars)),
            );
        case "not": {
            const v = evalNode(node.of, vars);
            return isError(v) ? v : typeof v === "boolean" ? !v : new CelError("! needs a bool");
        }
        case "cond": {
            const c = evalNode(node.c, vars);
            if (isError(c)) return c;
            if (typeof c !== "boolean") return new CelError("?: needs a bool condition");
            return evalNode(c ? node.t : node.f, vars);
        }
        case "bin":
            return binaryOp(node.op, evalNode(node.l, vars), evalNode(node.r, vars));
    }
}

function logical(op: string, l: CelValue, r: CelValue): CelValue {
    const short = op === "||";
    // Commutative error absorption (cel-spec "Logical operators").
    if (l === short || r === short) return short;
    if (isError(l)) return l;
    if (isError(r)) return r;
    if (typeof l !== "boolean" || typeof r !== "boolean") return new CelError(`${op} needs bools`);
    return !short;
}

function binaryOp(op: string, l: CelValue, r: CelValue): CelValue {
    if (op === "&&" || op === "||") return logical(op, l, r);
    if (isError(l)) return l;
    if (isError(r)) return r;
    switch (op) {
        case "+":
            return typeof l === "string" && typeof r === "string" ? l + r : new CelError("+ needs two strings");
        case "==":
        case "!=":
            // CEL has no implicit conversion: 'x' == 1 is a type error, not false.
            if (typeof l !== typeof r) return new CelError(`no such overload: ${typeof l} ${op} ${typeof r}`);
            return (JSON.stringify(l) === JSON.stringify(r)) === (op === "==");
        case "in":
            return Array.isArray(r) ? r.some((item) => JSON.stringify(item) === JSON.stringify(l)) : new CelError("in needs a list");
    }
    return new CelError(`unsupported operator ${op}`);
}

function callMethod(target: CelValue, method: string, args: CelValue[]): CelValue {
    if (isError(target)) return target;
    const arg = args[0];
    if (isError(arg)) return arg;
    if (typeof target !== "string" || typeof arg !== "string" || args.length !== 1)
        return new CelError(`no such overload: ${method} on ${typeof target}`);
    if (method === "startsWith") return target.startsWith(arg);
    if (method === "endsWith") return target.endsWith(arg);
    if (method === "contains") return target.includes(arg);
    return new CelError(`unsupported method ${method}`);
}

/** Evaluates `source` with the given variables (e.g. `{ assertion: claims }`); errors come back as `CelError`. */
export function evalCel(source: string, vars: Record<string, CelValue>): CelValue {
    return evalNode(parseCel(source), vars);
}

export { isError as isCelError };
