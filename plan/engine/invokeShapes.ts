/**
 * The declared result type of a provider function (a data lookup such as `aws.ec2.getSubnets`),
 * read from the provider SDK's own type definitions as installed for the program: the
 * `Get…Result` interface in `<module>/<function>.d.ts` and the types it names in
 * `types/output.d.ts`. Offline, a lookup is answered with a value of that type (see
 * `placeholderFor`), so a program that reads `getSubnets().ids` or `getOrganization().roots` gets
 * lists and objects where the provider would return them.
 *
 * Read lazily: only the files of functions a program calls, each once per process; a 7 MB
 * output.d.ts is searched with indexOf, and only the interfaces needed are parsed.
 */
import * as fs from "fs";
import * as path from "path";

/** A type in the definitions, as far as a placeholder needs it. */
export type Shape =
    | { readonly kind: "string" | "number" | "boolean" | "unsupported" | "none" }
    | { readonly kind: "literal"; readonly value: string | number | boolean }
    | { readonly kind: "array" | "map"; readonly of: Shape }
    | { readonly kind: "object"; readonly fields: readonly Field[] }
    | { readonly kind: "ref"; readonly namespace: readonly string[]; readonly name: string; readonly local: boolean }
    | { readonly kind: "union"; readonly of: readonly Shape[] };

export interface Field {
    readonly name: string;
    readonly optional: boolean;
    readonly shape: Shape;
}

/** The type text without comments (block and line), string literals kept as written. */
export function withoutComments(text: string): string {
    let out = "";
    for (let i = 0; i < text.length; ) {
        const c = text[i];
        if (c === '"' || c === "'") {
            let j = i + 1;
            while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
            out += text.slice(i, j + 1);
            i = j + 1;
        } else if (text.startsWith("/*", i)) {
            const end = text.indexOf("*/", i + 2);
            i = end < 0 ? text.length : end + 2;
        } else if (text.startsWith("//", i)) {
            const end = text.indexOf("\n", i);
            i = end < 0 ? text.length : end;
        } else {
            out += c;
            i++;
        }
    }
    return out;
}

/** The text between the `{` at `open` and its matching `}`, skipping braces in comments and strings. */
function bracedBody(text: string, open: number): string | undefined {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "'") {
            for (i++; i < text.length && text[i] !== c; i += text[i] === "\\" ? 2 : 1);
        } else if (text.startsWith("/*", i)) {
            i = text.indexOf("*/", i + 2) + 1;
            if (i <= 0) return undefined;
        } else if (text.startsWith("//", i)) {
            i = text.indexOf("\n", i);
            if (i < 0) return undefined;
        } else if (c === "{") depth++;
        else if (c === "}" && --depth === 0) return text.slice(open + 1, i);
    }
    return undefined;
}

/** A small parser of the TypeScript type syntax Pulumi's SDK generators emit in result types. */
class TypeParser {
    private pos = 0;
    constructor(private readonly text: string) {}

    /** Members of an interface body or object literal: `readonly name?: Type;` … */
    members(): Field[] {
        const fields: Field[] = [];
        for (;;) {
            this.space();
            if (this.pos >= this.text.length || this.peek("}")) return fields;
            if (this.peek("[")) return fields; // an index signature: not a plain object
            this.word("readonly");
            const name = this.name();
            if (name === undefined) return fields;
            this.space();
            const optional = this.eat("?");
            this.space();
            if (this.eat("(")) return fields; // a method: results have none
            if (!this.eat(":")) return fields;
            fields.push({ name, optional, shape: this.type() });
            this.space();
            this.eat(";") || this.eat(",");
        }
    }

    type(): Shape {
        const options: Shape[] = [];
        do options.push(this.postfix());
        while (this.spaced("|"));
        const real = options.filter((o) => o.kind !== "none");
        return real.length === 1 ? real[0] : { kind: "union", of: real };
    }

    private postfix(): Shape {
        let shape = this.primary();
        while (this.spaced("[]")) shape = { kind: "array", of: shape };
        return shape;
    }

    private primary(): Shape {
        this.space();
        if (this.eat("(")) {
            const inner = this.type();
            this.spaced(")");
            return inner;
        }
        if (this.eat("{")) return this.objectLiteral();
        const quote = this.text[this.pos];
        if (quote === '"' || quote === "'") {
            const end = this.text.indexOf(quote, this.pos + 1);
            const value = this.text.slice(this.pos + 1, end);
            this.pos = end + 1;
            return { kind: "literal", value };
        }
        const number = /^-?\d+(\.\d+)?/.exec(this.text.slice(this.pos));
        if (number) {
            this.pos += number[0].length;
            return { kind: "literal", value: Number(number[0]) };
        }
        const id = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*/.exec(this.text.slice(this.pos))?.[0] ?? "";
        this.pos += id.length;
        return this.named(id);
    }

    private named(id: string): Shape {
        const generic = this.spaced("<") ? this.typeArguments() : [];
        switch (id) {
            case "string":
                return { kind: "string" };
            case "number":
                return { kind: "number" };
            case "boolean":
                return { kind: "boolean" };
            case "true":
            case "false":
                return { kind: "literal", value: id === "true" };
            case "undefined":
            case "null":
            case "void":
                return { kind: "none" };
            case "Array":
            case "ReadonlyArray":
                return { kind: "array", of: generic[0] ?? { kind: "unsupported" } };
            case "Record":
                return { kind: "map", of: generic[1] ?? { kind: "unsupported" } };
            case "Promise":
            case "pulumi.Output":
            case "pulumi.Input":
                return generic[0] ?? { kind: "unsupported" };
        }
        const parts = id.split(".");
        if (parts[0] === "outputs" && parts.length >= 2)
            return { kind: "ref", namespace: parts.slice(1, -1), name: parts[parts.length - 1], local: false };
        if (parts[0] === "enums") return { kind: "string" }; // generated enums are string unions
        if (parts.length === 1 && /^[A-Z]/.test(id)) return { kind: "ref", namespace: [], name: id, local: true };
        return { kind: "unsupported" }; // any, unknown, another package's resource type
    }

    private typeArguments(): Shape[] {
        const args: Shape[] = [];
        do args.push(this.type());
        while (this.spaced(","));
        this.spaced(">");
        return args;
    }

    private objectLiteral(): Shape {
        this.space();
        if (this.peek("[")) {
            // `{ [key: string]: T; }`
            this.pos = this.text.indexOf("]", this.pos) + 1;
            this.spaced(":");
            const of = this.type();
            this.spaced(";");
            this.spaced("}");
            return { kind: "map", of };
        }
        const fields = this.members();
        this.spaced("}");
        return { kind: "object", fields };
    }

    private name(): string | undefined {
        const quote = this.text[this.pos];
        if (quote === '"' || quote === "'") {
            const end = this.text.indexOf(quote, this.pos + 1);
            const name = this.text.slice(this.pos + 1, end);
            this.pos = end + 1;
            return name;
        }
        const id = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.pos))?.[0];
        if (id) this.pos += id.length;
        return id;
    }

    private word(w: string): void {
        this.space();
        if (this.text.startsWith(w, this.pos) && !/[\w$]/.test(this.text[this.pos + w.length] ?? "")) this.pos += w.length;
        this.space();
    }
    private space(): void {
        while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
    }
    private peek(s: string): boolean {
        return this.text.startsWith(s, this.pos);
    }
    private eat(s: string): boolean {
        if (!this.peek(s)) return false;
        this.pos += s.length;
        return true;
    }
    private spaced(s: string): boolean {
        this.space();
        return this.eat(s);
    }
}

const files = new Map<string, string | undefined>();
function read(file: string): string | undefined {
    if (!files.has(file)) {
        try {
            files.set(file, fs.readFileSync(file, "utf8"));
        } catch {
            files.set(file, undefined);
        }
    }
    return files.get(file);
}

/** The members of `interface <name>` in `text`, inside the namespace path given (types/output.d.ts nests them). */
export function interfaceFields(text: string, namespace: readonly string[], name: string): Field[] | undefined {
    let from = 0;
    let indent = "";
    for (const [i, ns] of namespace.entries()) {
        const at = text.indexOf(i === 0 ? `\nexport declare namespace ${ns} {` : `\n${indent}namespace ${ns} {`, from);
        if (at < 0) return undefined;
        from = at + 1;
        indent += "    ";
    }
    const header = namespace.length === 0 ? `export interface ${name} ` : `\n${indent}interface ${name} `;
    let at = text.indexOf(header, from);
    if (namespace.length === 0 && at < 0) at = text.indexOf(`interface ${name} `, from);
    // The next top-level namespace starts before it: the interface is not in this one.
    const nextTop = namespace.length > 0 ? text.indexOf("\nexport declare namespace ", from) : -1;
    if (at < 0 || (nextTop >= 0 && nextTop < at)) return undefined;
    const open = text.indexOf("{", at + header.length - 1);
    const body = bracedBody(text, open);
    return body === undefined ? undefined : new TypeParser(withoutComments(body)).members();
}

/** A package's Pulumi name (package.json `pulumi.name`, else the name after `@pulumi/`). */
function pulumiName(root: string): string | undefined {
    try {
        const manifest = JSON.parse(read(path.join(root, "package.json")) ?? "{}");
        return manifest.pulumi?.name ?? (/^@pulumi\/(.+)$/.exec(manifest.name ?? "")?.[1] || undefined);
    } catch {
        return undefined;
    }
}

/**
 * Where a provider package is installed for the program: `@pulumi/<name>` as the program resolves
 * it, else the package among the modules the program loaded whose Pulumi name it is (a third-party
 * provider).
 */
const packageRoots = new Map<string, string | undefined>();
function packageRoot(pkg: string, cwd: string): string | undefined {
    const key = `${cwd}|${pkg}`;
    if (packageRoots.has(key)) return packageRoots.get(key);
    let found: string | undefined;
    try {
        const root = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`, { paths: [cwd] }));
        if (pulumiName(root) === pkg) found = root;
    } catch {
        found = undefined;
    }
    const seen = new Set<string>();
    for (const file of found ? [] : Object.keys(require.cache)) {
        const m = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
        if (!m || seen.has(m[1])) continue;
        seen.add(m[1]);
        if (pulumiName(m[1]) === pkg) {
            found = m[1];
            break;
        }
    }
    packageRoots.set(key, found);
    return found;
}

export interface FunctionResult {
    /** The result's fields. */
    readonly fields: readonly Field[];
    /** Resolves a type the fields name (`outputs.ec2.GetSubnetsFilter`, or an interface in the function's own file). */
    readonly resolve: (ref: Extract<Shape, { kind: "ref" }>) => readonly Field[] | undefined;
}

const results = new Map<string, FunctionResult | undefined>();

/**
 * The declared result of the function with `token` (`aws:ec2/getSubnets:getSubnets`): its file is
 * `<package>/<module>/<function>.d.ts` (`index` is the package root), its type `Get…Result`.
 * Undefined when the package or the declaration cannot be found.
 */
export function functionResult(token: string, cwd = process.cwd()): FunctionResult | undefined {
    const key = `${cwd}|${token}`;
    if (results.has(key)) return results.get(key);
    let result: FunctionResult | undefined;
    const [pkg, module, fn] = token.split(":");
    const root = pkg ? packageRoot(pkg, cwd) : undefined;
    const slash = module?.lastIndexOf("/") ?? -1;
    if (root && fn && slash > 0) {
        const dir = module.slice(0, slash) === "index" ? root : path.join(root, module.slice(0, slash));
        const file = path.join(dir, `${module.slice(slash + 1)}.d.ts`);
        const text = read(file);
        const name = `${fn[0].toUpperCase()}${fn.slice(1)}Result`;
        const fields = text === undefined ? undefined : interfaceFields(text, [], name);
        if (text !== undefined && fields) {
            const outputs = path.join(root, "types", "output.d.ts");
            const cache = new Map<string, readonly Field[] | undefined>();
            result = {
                fields,
                resolve: (ref) => {
                    const key = `${ref.local}|${ref.namespace.join(".")}|${ref.name}`;
                    if (!cache.has(key)) {
                        const source = ref.local ? text : read(outputs);
                        cache.set(key, source === undefined ? undefined : interfaceFields(source, ref.namespace, ref.name));
                    }
                    return cache.get(key);
                },
            };
        }
    }
    results.set(key, result);
    return result;
}

/** Where placeholder lists stop (two items, as a lookup of subnets or zones usually finds) and nesting stops. */
const LIST_ITEMS = 2;
const MAX_DEPTH = 6;

/** A placeholder string: says it stands for a lookup's field (`[placeholder getSubnets.ids.0]`). */
export function placeholderText(fn: string, at: string): string {
    return `[placeholder ${fn}.${at}]`;
}

/** A value of `shape`: strings are placeholders naming the field, numbers 1, booleans false, lists of two, maps empty. */
export function placeholderFor(shape: Shape, fn: string, at: string, result: FunctionResult, depth = 0): unknown {
    switch (shape.kind) {
        case "string":
        case "unsupported":
            return placeholderText(fn, at);
        case "none":
            return undefined;
        case "number":
            return 1;
        case "boolean":
            return false;
        case "literal":
            return shape.value;
        case "union":
            return placeholderFor(shape.of[0] ?? { kind: "unsupported" }, fn, at, result, depth);
        case "map":
            return {};
        case "array":
            return depth >= MAX_DEPTH
                ? []
                : Array.from({ length: LIST_ITEMS }, (_, i) => placeholderFor(shape.of, fn, `${at}.${i}`, result, depth + 1));
        case "object":
            return objectFor(shape.fields, fn, at, result, depth);
        case "ref": {
            const fields = depth >= MAX_DEPTH ? undefined : result.resolve(shape);
            return fields ? objectFor(fields, fn, at, result, depth) : {};
        }
    }
}

function objectFor(fields: readonly Field[], fn: string, at: string, result: FunctionResult, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) if (!f.optional) out[f.name] = placeholderFor(f.shape, fn, `${at}.${f.name}`, result, depth + 1);
    return out;
}
