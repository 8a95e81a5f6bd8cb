/**
 * Enough of a POSIX/bash shell parser to tell what a workflow's `run:` script executes and whether a
 * command's failure fails the step: lists (`;`, `&`, newlines), `&&`/`||`, pipelines (`|`, `!`),
 * `{ }` and `( )`, `if`/`while`/`until`/`for`/`case`, function definitions, quotes (`'`, `"`,
 * `$'…'`), escapes and line continuations, `$(…)` and backquotes (parsed too), `${…}`, comments,
 * redirections and here-documents. GitHub expressions (`${{ … }}`) are replaced before the shell
 * runs, so they stay opaque text here. Pure: no I/O.
 */

export interface Word {
    /** The word as written. */
    readonly raw: string;
    /** With quotes removed and escapes processed; expansions (`$X`, `$(…)`) left as written. */
    readonly text: string;
}

export interface Redirect {
    readonly op: string;
    readonly target: Word;
}

export interface SimpleCommand {
    readonly type: "simple";
    readonly words: Word[];
    readonly assignments: Word[];
    readonly redirects: Redirect[];
    /** Scripts inside `$(…)` and backquotes of this command's words and assignments. */
    readonly substitutions: Node[];
    /** 1-based line in the script. */
    readonly line: number;
}

export type Node =
    | SimpleCommand
    | { readonly type: "pipeline"; readonly negated: boolean; readonly items: Node[] }
    | { readonly type: "andor"; readonly items: Node[]; readonly ops: ("&&" | "||")[] }
    | { readonly type: "list"; readonly items: Node[] }
    | { readonly type: "group"; readonly subshell: boolean; readonly body: Node }
    | { readonly type: "if"; readonly clauses: { cond: Node; body: Node }[]; readonly otherwise?: Node }
    | { readonly type: "loop"; readonly cond?: Node; readonly body: Node }
    | { readonly type: "case"; readonly bodies: Node[] }
    | { readonly type: "function"; readonly body: Node };

export class ShellSyntaxError extends Error {}

interface Token {
    readonly kind: "word" | "op" | "newline" | "eof";
    readonly value: string;
    readonly word?: Word;
    readonly line: number;
}

const OPERATORS = [
    "&&",
    "||",
    ";;",
    "|&",
    "&>>",
    "&>",
    ">>",
    "<<<",
    "<<-",
    "<<",
    ">&",
    "<&",
    "<>",
    ">|",
    ";",
    "&",
    "|",
    "(",
    ")",
    "<",
    ">",
];
const REDIRECTS = new Set(["&>>", "&>", ">>", "<<<", "<<-", "<<", ">&", "<&", "<>", ">|", "<", ">"]);
const RESERVED = new Set([
    "if",
    "then",
    "elif",
    "else",
    "fi",
    "do",
    "done",
    "while",
    "until",
    "for",
    "in",
    "case",
    "esac",
    "{",
    "}",
    "!",
    "function",
]);

/** GitHub replaces `${{ … }}` before the shell sees the script: keep each as one opaque piece of text. */
function protectExpressions(script: string): string {
    return script.replace(/\$\{\{[\s\S]*?\}\}/g, (m) => m.replace(/\s/g, "_"));
}

class Lexer {
    private i = 0;
    private line = 1;
    private pendingHeredocs: { delimiter: string; stripTabs: boolean }[] = [];
    constructor(private readonly src: string) {}

    tokens(): Token[] {
        const out: Token[] = [];
        for (;;) {
            const t = this.next();
            out.push(t);
            if (t.kind === "eof") return out;
            if ((t.value === "<<" || t.value === "<<-") && t.kind === "op") {
                const delimiter = this.next();
                out.push(delimiter);
                this.pendingHeredocs.push({ delimiter: delimiter.word?.text ?? "", stripTabs: t.value === "<<-" });
            }
        }
    }

    private peek(offset = 0): string | undefined {
        return this.src[this.i + offset];
    }

    private next(): Token {
        for (;;) {
            const ch = this.peek();
            if (ch === "\\" && this.peek(1) === "\n") {
                this.i += 2;
                this.line++;
            } else if (ch === " " || ch === "\t" || ch === "\r") {
                this.i++;
            } else if (ch === "#") {
                while (this.peek() !== undefined && this.peek() !== "\n") this.i++;
            } else break;
        }
        const ch = this.peek();
        if (ch === undefined) return { kind: "eof", value: "", line: this.line };
        if (ch === "\n") {
            this.i++;
            const line = this.line++;
            this.skipHeredocs();
            return { kind: "newline", value: "\n", line };
        }
        if ((ch === "<" || ch === ">") && this.peek(1) === "(") {
            // Process substitution `<(cmd)`: one word, like `$(cmd)`.
            const line = this.line;
            const start = this.i;
            this.i++;
            this.readBalanced("(");
            const raw = this.src.slice(start, this.i);
            return { kind: "word", value: raw, word: { raw: `$${raw.slice(1)}`, text: raw }, line };
        }
        const fd = /^\d+(?=[<>])/.exec(this.src.slice(this.i));
        if (fd) this.i += fd[0].length;
        for (const op of OPERATORS) {
            if (this.src.startsWith(op, this.i)) {
                this.i += op.length;
                return { kind: "op", value: op, line: this.line };
            }
        }
        const start = this.i;
        const line = this.line;
        const text = this.readWord();
        const raw = this.src.slice(start, this.i);
        return { kind: "word", value: raw, word: { raw, text }, line };
    }

    private skipHeredocs(): void {
        for (const { delimiter, stripTabs } of this.pendingHeredocs) {
            for (;;) {
                const end = this.src.indexOf("\n", this.i);
                const lineText = this.src.slice(this.i, end < 0 ? undefined : end);
                this.i = end < 0 ? this.src.length : end + 1;
                this.line++;
                if ((stripTabs ? lineText.replace(/^\t+/, "") : lineText) === delimiter || end < 0) break;
            }
        }
        this.pendingHeredocs = [];
    }

    /** Reads one word up to an unquoted metacharacter; returns its text with quotes removed. */
    private readWord(): string {
        let text = "";
        for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
            if (ch === "(" && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(text)) {
                text += this.readArray();
                continue;
            }
            if (/[\s|&;()<>]/.test(ch)) break;
            if (ch === "\\") {
                this.i++;
                const escaped = this.src[this.i++];
                if (escaped === "\n") this.line++;
                else if (escaped !== undefined) text += escaped;
            } else if (ch === "'") {
                const end = this.src.indexOf("'", this.i + 1);
                if (end < 0) throw new ShellSyntaxError("unterminated single quote");
                text += this.src.slice(this.i + 1, end);
                this.countLines(this.i, end);
                this.i = end + 1;
            } else if (ch === '"') {
                text += this.readDoubleQuoted();
            } else if (ch === "$" && this.peek(1) === "'") {
                this.i++;
                const end = this.src.indexOf("'", this.i + 1);
                if (end < 0) throw new ShellSyntaxError("unterminated $'…' quote");
                text += this.src.slice(this.i + 1, end);
                this.i = end + 1;
            } else if (ch === "$" && (this.peek(1) === "(" || this.peek(1) === "{")) {
                text += this.readBalanced();
            } else if (ch === "`") {
                const end = this.src.indexOf("`", this.i + 1);
                if (end < 0) throw new ShellSyntaxError("unterminated backquote");
                text += this.src.slice(this.i, end + 1);
                this.countLines(this.i, end);
                this.i = end + 1;
            } else {
                text += ch;
                this.i++;
            }
        }
        return text;
    }

    /** A bash array value: `name=(a "b c")`. */
    private readArray(): string {
        const start = this.i;
        this.i++;
        for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
            if (ch === ")") {
                this.i++;
                return this.src.slice(start, this.i);
            }
            if (ch === "\n") this.line++;
            if (ch === '"') this.readDoubleQuoted();
            else if (ch === "'") {
                const end = this.src.indexOf("'", this.i + 1);
                this.i = end < 0 ? this.src.length : end + 1;
            } else if (ch === "\\") this.i += 2;
            else this.i++;
        }
        throw new ShellSyntaxError("unterminated array assignment");
    }

    private countLines(from: number, to: number): void {
        for (let k = from; k < to; k++) if (this.src[k] === "\n") this.line++;
    }

    private readDoubleQuoted(): string {
        this.i++;
        let text = "";
        for (;;) {
            const ch = this.peek();
            if (ch === undefined) throw new ShellSyntaxError("unterminated double quote");
            if (ch === '"') {
                this.i++;
                return text;
            }
            if (ch === "\\" && /["\\$`\n]/.test(this.peek(1) ?? "")) {
                if (this.peek(1) === "\n") this.line++;
                else text += this.peek(1);
                this.i += 2;
            } else if (ch === "$" && (this.peek(1) === "(" || this.peek(1) === "{")) {
                text += this.readBalanced();
            } else {
                if (ch === "\n") this.line++;
                text += ch;
                this.i++;
            }
        }
    }

    /** `$(…)`, `$((…))` or `${…}` (or, with `from`, a bare `(…)`), nested and quoted parts respected; returned as written. */
    private readBalanced(from?: "("): string {
        const start = this.i;
        const open = from ?? this.src[this.i + 1];
        const close = open === "(" ? ")" : "}";
        let depth = 0;
        if (!from) this.i++;
        for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
            if (ch === "\\") this.i += 2;
            else if (ch === "'" && open === "(") {
                const end = this.src.indexOf("'", this.i + 1);
                this.i = end < 0 ? this.src.length : end + 1;
            } else if (ch === '"') this.readDoubleQuoted();
            else {
                if (ch === "\n") this.line++;
                if (ch === open) depth++;
                if (ch === close) depth--;
                this.i++;
                if (depth === 0) return this.src.slice(start, this.i);
            }
        }
        throw new ShellSyntaxError(`unterminated $${open}`);
    }
}

/** Scripts inside `$(…)` and backquotes of a word (not `$((…))` arithmetic). */
function substitutionsIn(raw: string): string[] {
    const found: string[] = [];
    for (let i = 0; i < raw.length; i++) {
        if (raw[i] === "\\") i++;
        else if (raw[i] === "'") {
            const end = raw.indexOf("'", i + 1);
            if (end > 0) i = end;
        } else if (raw.startsWith("$(", i) && !raw.startsWith("$((", i)) {
            let depth = 0;
            for (let j = i + 1; j < raw.length; j++) {
                if (raw[j] === "(") depth++;
                if (raw[j] === ")" && --depth === 0) {
                    found.push(raw.slice(i + 2, j));
                    i = j;
                    break;
                }
            }
        } else if (raw[i] === "`") {
            const end = raw.indexOf("`", i + 1);
            if (end > 0) {
                found.push(raw.slice(i + 1, end));
                i = end;
            }
        }
    }
    return found;
}

class Parser {
    private pos = 0;
    constructor(private readonly tokens: Token[]) {}

    parseScript(): Node {
        const list = this.list(new Set());
        if (this.peek().kind !== "eof") throw new ShellSyntaxError(`unexpected "${this.peek().value}" on line ${this.peek().line}`);
        return list;
    }

    private peek(): Token {
        return this.tokens[this.pos];
    }

    private isWord(value: string): boolean {
        const t = this.peek();
        return t.kind === "word" && t.value === value;
    }

    private expectWord(value: string): void {
        if (!this.isWord(value))
            throw new ShellSyntaxError(`expected "${value}" on line ${this.peek().line}, found "${this.peek().value}"`);
        this.pos++;
    }

    private skipNewlines(): void {
        while (this.peek().kind === "newline") this.pos++;
    }

    /** Commands separated by `;`, `&` or newlines, until one of `stops` (a reserved word or `)`). */
    private list(stops: Set<string>): Node {
        const items: Node[] = [];
        for (;;) {
            this.skipNewlines();
            const t = this.peek();
            if (t.kind === "eof" || stops.has(t.value) || (t.kind === "op" && (t.value === ")" || t.value === ";;"))) break;
            items.push(this.andOr());
            const sep = this.peek();
            if (sep.kind === "op" && (sep.value === ";" || sep.value === "&")) this.pos++;
            else if (sep.kind !== "newline") break;
        }
        return { type: "list", items };
    }

    private andOr(): Node {
        const items = [this.pipeline()];
        const ops: ("&&" | "||")[] = [];
        while (this.peek().kind === "op" && (this.peek().value === "&&" || this.peek().value === "||")) {
            ops.push(this.peek().value as "&&" | "||");
            this.pos++;
            this.skipNewlines();
            items.push(this.pipeline());
        }
        return items.length === 1 ? items[0] : { type: "andor", items, ops };
    }

    private pipeline(): Node {
        let negated = false;
        if (this.isWord("!")) {
            negated = true;
            this.pos++;
        }
        const items = [this.command()];
        while (this.peek().kind === "op" && (this.peek().value === "|" || this.peek().value === "|&")) {
            this.pos++;
            this.skipNewlines();
            items.push(this.command());
        }
        return items.length === 1 && !negated ? items[0] : { type: "pipeline", negated, items };
    }

    private command(): Node {
        const t = this.peek();
        if (t.kind === "op" && t.value === "(") {
            this.pos++;
            const body = this.list(new Set());
            if (!(this.peek().kind === "op" && this.peek().value === ")")) throw new ShellSyntaxError(`expected ")" on line ${t.line}`);
            this.pos++;
            this.redirects();
            return { type: "group", subshell: true, body };
        }
        if (t.kind === "word") {
            if (t.value === "{") return this.braceGroup();
            if (t.value === "if") return this.ifClause();
            if (t.value === "while" || t.value === "until") return this.loop();
            if (t.value === "for") return this.forLoop();
            if (t.value === "case") return this.caseClause();
            if (t.value === "function") return this.functionDefinition(true);
            const after = this.tokens[this.pos + 1];
            if (after?.kind === "op" && after.value === "(" && this.tokens[this.pos + 2]?.value === ")")
                return this.functionDefinition(false);
        }
        return this.simple();
    }

    private braceGroup(): Node {
        this.expectWord("{");
        const body = this.list(new Set(["}"]));
        this.expectWord("}");
        this.redirects();
        return { type: "group", subshell: false, body };
    }

    private ifClause(): Node {
        this.expectWord("if");
        const clauses: { cond: Node; body: Node }[] = [];
        let otherwise: Node | undefined;
        for (;;) {
            const cond = this.list(new Set(["then"]));
            this.expectWord("then");
            clauses.push({ cond, body: this.list(new Set(["elif", "else", "fi"])) });
            if (this.isWord("elif")) {
                this.pos++;
                continue;
            }
            if (this.isWord("else")) {
                this.pos++;
                otherwise = this.list(new Set(["fi"]));
            }
            this.expectWord("fi");
            this.redirects();
            return { type: "if", clauses, otherwise };
        }
    }

    private loop(): Node {
        this.pos++;
        const cond = this.list(new Set(["do"]));
        this.expectWord("do");
        const body = this.list(new Set(["done"]));
        this.expectWord("done");
        this.redirects();
        return { type: "loop", cond, body };
    }

    private forLoop(): Node {
        this.expectWord("for");
        while (!(this.isWord("do") || this.peek().kind === "eof")) this.pos++;
        this.expectWord("do");
        const body = this.list(new Set(["done"]));
        this.expectWord("done");
        this.redirects();
        return { type: "loop", body };
    }

    private caseClause(): Node {
        this.expectWord("case");
        while (!(this.isWord("in") || this.peek().kind === "eof")) this.pos++;
        this.expectWord("in");
        const bodies: Node[] = [];
        for (;;) {
            this.skipNewlines();
            if (this.isWord("esac") || this.peek().kind === "eof") break;
            while (!(this.peek().kind === "op" && this.peek().value === ")") && this.peek().kind !== "eof") this.pos++;
            this.pos++;
            bodies.push(this.list(new Set(["esac"])));
            if (this.peek().kind === "op" && this.peek().value === ";;") this.pos++;
        }
        this.expectWord("esac");
        return { type: "case", bodies };
    }

    private functionDefinition(keyword: boolean): Node {
        if (keyword) this.pos++;
        this.pos++; // name
        if (this.peek().kind === "op" && this.peek().value === "(") this.pos += 2;
        this.skipNewlines();
        return { type: "function", body: this.command() };
    }

    private redirects(): Redirect[] {
        const out: Redirect[] = [];
        while (this.peek().kind === "op" && REDIRECTS.has(this.peek().value)) {
            const op = this.peek().value;
            this.pos++;
            const target = this.peek();
            if (target.kind !== "word") throw new ShellSyntaxError(`a redirection on line ${target.line} has no target`);
            this.pos++;
            out.push({ op, target: target.word! });
        }
        return out;
    }

    private simple(): SimpleCommand {
        const line = this.peek().line;
        const words: Word[] = [];
        const assignments: Word[] = [];
        const redirects: Redirect[] = [];
        if (this.isWord("[[")) {
            // A conditional expression: `&&`, `||`, `<`, `(` inside it are its operators, not the shell's.
            while (this.peek().kind !== "eof" && !this.isWord("]]")) {
                const t = this.peek();
                words.push(t.word ?? { raw: t.value, text: t.value });
                this.pos++;
            }
            this.expectWord("]]");
            words.push({ raw: "]]", text: "]]" });
        }
        for (;;) {
            const t = this.peek();
            if (t.kind === "op" && REDIRECTS.has(t.value)) redirects.push(...this.redirects());
            else if (t.kind === "word" && (words.length === 0 ? !RESERVED.has(t.value) || t.value === "in" : true)) {
                if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(t.value)) assignments.push(t.word!);
                else words.push(t.word!);
                this.pos++;
            } else break;
        }
        if (words.length === 0 && assignments.length === 0 && redirects.length === 0)
            throw new ShellSyntaxError(`unexpected "${this.peek().value || "end of script"}" on line ${this.peek().line}`);
        const substitutions = [...assignments, ...words, ...redirects.map((r) => r.target)]
            .flatMap((w) => substitutionsIn(w.raw))
            .map((inner) => parseShell(inner));
        return { type: "simple", words, assignments, redirects, substitutions, line };
    }
}

/** Parses a script; throws ShellSyntaxError on what bash would refuse (or this parser cannot follow). */
export function parseShell(script: string): Node {
    return new Parser(new Lexer(protectExpressions(script)).tokens()).parseScript();
}

/** Every simple command in source order, those inside `$(…)` included, with the path of nodes above each. */
export function simpleCommands(root: Node): { command: SimpleCommand; path: Node[] }[] {
    const out: { command: SimpleCommand; path: Node[] }[] = [];
    const visit = (node: Node, path: Node[]) => {
        const here = [...path, node];
        switch (node.type) {
            case "simple":
                out.push({ command: node, path });
                for (const s of node.substitutions) visit(s, here);
                return;
            case "pipeline":
            case "andor":
            case "list":
                for (const item of node.items) visit(item, here);
                return;
            case "group":
            case "function":
                visit(node.body, here);
                return;
            case "if":
                for (const c of node.clauses) {
                    visit(c.cond, here);
                    visit(c.body, here);
                }
                if (node.otherwise) visit(node.otherwise, here);
                return;
            case "loop":
                if (node.cond) visit(node.cond, here);
                visit(node.body, here);
                return;
            case "case":
                for (const b of node.bodies) visit(b, here);
        }
    };
    visit(root, []);
    return out;
}
