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

/** A recursive-descent parser over the tokens of one expression (precedence: ?:, ||, &&, == != in, +, !, member). */
class CelParser {
    private i = 0;
    constructor(
        private readonly tokens: string[],
        private readonly source: string,
    ) {}

    parse(): Node {
        const node = this.expr();
        if (this.i !== this.tokens.length) throw new SyntaxError(`CEL: unexpected "${this.tokens[this.i]}" in: ${this.source}`);
        return node;
    }

    private peek(): string | undefined {
        return this.tokens[this.i];
    }

    private take(expected?: string): string {
        const t = this.tokens[this.i++];
        if (t === undefined || (expected !== undefined && t !== expected))
            throw new SyntaxError(`CEL: expected ${expected ?? "more"} at token ${this.i} of: ${this.source}`);
        return t;
    }

    private expr(): Node {
        const c = this.binary(0);
        if (this.peek() !== "?") return c;
        this.take("?");
        const t = this.expr();
        this.take(":");
        return { k: "cond", c, t, f: this.expr() };
    }

    /** Left-associative binary levels, loosest first. */
    private static readonly LEVELS = [["||"], ["&&"], ["==", "!=", "in"], ["+"]];

    private binary(level: number): Node {
        if (level === CelParser.LEVELS.length) return this.unary();
        let l = this.binary(level + 1);
        while (CelParser.LEVELS[level].includes(this.peek() ?? "")) {
            const op = this.take();
            l = { k: "bin", op, l, r: this.binary(level + 1) };
        }
        return l;
    }

    private unary(): Node {
        if (this.peek() !== "!") return this.member();
        this.take("!");
        return { k: "not", of: this.unary() };
    }

    private member(): Node {
        let node = this.primary();
        while (this.peek() === ".") {
            this.take(".");
            const field = this.take();
            node =
                this.peek() === "(" ? { k: "call", of: node, method: field, args: this.list("(", ")") } : { k: "select", of: node, field };
        }
        return node;
    }

    /** `open a, b, … close`. */
    private list(open: string, close: string): Node[] {
        this.take(open);
        const items: Node[] = [];
        while (this.peek() !== close) {
            items.push(this.expr());
            if (this.peek() === ",") this.take(",");
        }
        this.take(close);
        return items;
    }

    private primary(): Node {
        const t = this.peek();
        if (t === "(") {
            this.take("(");
            const inner = this.expr();
            this.take(")");
            return inner;
        }
        if (t === "[") return { k: "list", items: this.list("[", "]") };
        this.take();
        if (t === "has") {
            this.take("(");
            const sel = this.member();
            this.take(")");
            if (sel.k !== "select") throw new SyntaxError(`CEL: has() needs a field selection: ${this.source}`);
            return { k: "has", of: sel.of, field: sel.field };
        }
        return literalOrIdent(t!, this.source);
    }
}

function literalOrIdent(t: string, source: string): Node {
    if (/^\d+$/.test(t)) return { k: "lit", v: Number(t) };
    if (/^['"]/.test(t)) return { k: "lit", v: JSON.parse(`"${t.slice(1, -1).replace(/"/g, '\\"').replace(/\\'/g, "'")}"`) };
    if (t === "true" || t === "false") return { k: "lit", v: t === "true" };
    if (t === "null") return { k: "lit", v: null };
    if (/^[A-Za-z_]/.test(t)) return { k: "ident", name: t };
    throw new SyntaxError(`CEL: unexpected "${t}" in: ${source}`);
}

/** Parses an expression of the supported subset; throws SyntaxError on anything else. */
export function parseCel(source: string): Node {
    return new CelParser(tokenize(source), source).parse();
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
