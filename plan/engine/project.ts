/**
 * Reads a Pulumi project's config the way the CLI does: stack file values (`secure:` ones become
 * secret placeholders, since nothing can be decrypted offline), `--config` overrides, then the
 * project's declared defaults, with the CLI's type checks. Also finds the program's entry point.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { mustHide, OFFLINE_SECRET_PLACEHOLDER } from "../../rules/secretLike";

/** The placeholder every secret config value gets offline. */
export const SECRET_PLACEHOLDER = OFFLINE_SECRET_PLACEHOLDER;

/** A mistake in the project or stack files, or in `--config`: reported with exit code 2. */
export class PlanConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanConfigError";
    }
}

export interface ProjectConfig {
    /** Project name from Pulumi.yaml. */
    project: string;
    /** The stack's own name (without an organization or project). */
    stack: string;
    /** Absolute project directory. */
    cwd: string;
    /** Absolute path of the program's entry (file or directory, resolved by Node). */
    main: string;
    /** Full key → value as Pulumi passes it to a program (objects and arrays as JSON). */
    config: Record<string, string>;
    /** Keys whose value is (or contains) a secret. */
    secretKeys: string[];
}

interface Declaration {
    type?: string;
    items?: unknown;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}

/** Line and column (1-based) of a character offset in `text`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    return { line, column: offset - before.lastIndexOf("\n") };
}

/** Offset of the first byte that breaks UTF-8 (a bad lead or continuation byte, an overlong form, a surrogate), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
    for (let i = 0; i < bytes.length; ) {
        const b = bytes[i];
        const extra = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
        if (extra < 0) return i;
        if (i + extra >= bytes.length && extra > 0) return i;
        for (let k = 1; k <= extra; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i + k;
        const second = bytes[i + 1];
        if (
            (b === 0xe0 && second < 0xa0) ||
            (b === 0xed && second > 0x9f) ||
            (b === 0xf0 && second < 0x90) ||
            (b === 0xf4 && second > 0x8f)
        )
            return i + 1;
        i += extra + 1;
    }
    return -1;
}

/**
 * The text of a YAML file as the Pulumi CLI reads it (sdk/go/common/workspace/loaders.go,
 * readFileStripUTF8BOM, then go-yaml): a UTF-8 byte-order mark is dropped, UTF-16 with its mark is
 * decoded, and bytes that are not UTF-8 are refused where Node would silently replace them.
 */
function yamlText(bytes: Buffer, name: string): string {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    else if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
    const bad = firstInvalidUtf8(bytes);
    if (bad >= 0) {
        const at = lineColumn(bytes.subarray(0, bad).toString("utf8"), bad);
        throw new PlanConfigError(
            `${name}: not UTF-8 text: byte 0x${bytes[bad].toString(16).padStart(2, "0")} at line ${at.line}, column ${at.column} (the Pulumi CLI refuses the file: "yaml: invalid UTF-8"); save it as UTF-8`,
        );
    }
    const text = bytes.toString("utf8");
    // YAML's printable set (go-yaml: "control characters are not allowed"): tab, line breaks and NEL are the only controls.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/.exec(text);
    if (control) {
        const at = lineColumn(text, control.index);
        const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
        throw new PlanConfigError(
            `${name}: control character ${code} at line ${at.line}, column ${at.column}: YAML does not allow it (the Pulumi CLI refuses the file: "yaml: control characters are not allowed")`,
        );
    }
    return text;
}

/** The first key that appears twice in one mapping, with both lines (go-yaml: "mapping key … already defined at line N"). */
function duplicateKey(doc: YAML.Document, lines: YAML.LineCounter): string | undefined {
    let found: string | undefined;
    YAML.visit(doc, {
        Map(_, map) {
            const seen = new Map<string, number>();
            for (const pair of map.items) {
                const key = YAML.isScalar(pair.key)
                    ? String(pair.key.value)
                    : JSON.stringify(YAML.isNode(pair.key) ? pair.key.toJSON() : pair.key);
                if (key === "<<") continue; // a merge key, which go-yaml applies (and may repeat)
                const line = YAML.isNode(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]).line : 0;
                const first = seen.get(key);
                if (first !== undefined) {
                    found = `line ${line}: mapping key ${JSON.stringify(key)} already defined at line ${first}`;
                    return YAML.visit.BREAK;
                }
                seen.set(key, line);
            }
            return undefined;
        },
    });
    return found;
}

/**
 * Reads a project or stack file as strictly as the Pulumi CLI: UTF-8 (or UTF-16 with a byte-order
 * mark), no control characters, valid YAML, no key twice in one mapping; merge keys (`<<`) applied
 * as go-yaml applies them. Duplicate keys are found in one pass (the YAML library's own check
 * compares every pair of keys: a minute for a 20,000-key file).
 */
function readYaml(file: string): unknown {
    const name = path.basename(file);
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (err) {
        throw new PlanConfigError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const text = yamlText(bytes, name);
    const known = readTexts.get(text);
    if (known !== undefined) return structuredClone(known);
    const lines = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { uniqueKeys: false, merge: true, lineCounter: lines, prettyErrors: true });
    if (doc.errors.length > 0) throw new PlanConfigError(`cannot read ${file}: ${doc.errors[0].message}`);
    const duplicate = duplicateKey(doc, lines);
    if (duplicate) throw new PlanConfigError(`${name}: ${duplicate} (the Pulumi CLI refuses a key given twice)`);
    let value: unknown;
    try {
        value = doc.toJS(); // at most 100 alias expansions (the library's guard against alias bombs)
    } catch (err) {
        // go-yaml refuses an alias bomb too ("yaml: document contains excessive aliasing", decode.go allowedAliasRatio).
        throw new PlanConfigError(
            `cannot read ${file}: ${(err as Error).message}${/alias/i.test((err as Error).message) ? ' (the Pulumi CLI refuses it too: "yaml: document contains excessive aliasing")' : ""}`,
        );
    }
    if (readTexts.size >= READ_TEXTS_KEPT) readTexts.delete(readTexts.keys().next().value as string);
    readTexts.set(text, value);
    return structuredClone(value);
}

/**
 * The values of the last files read, by their text: plans in one process (a test suite, `runway plan`
 * comparing stacks) read the same project file again and again, and parsing it costs more than a copy.
 */
const readTexts = new Map<string, unknown>();
const READ_TEXTS_KEPT = 16;

/**
 * `key` with the project namespace added when it has none, as the CLI does. Like the CLI's
 * `config.ParseKey`, a key is `<namespace>:<name>` (or the old `<namespace>:config:<name>`) with
 * neither part empty; anything else is a `PlanConfigError` naming `where` it came from.
 */
export function fullKey(project: string, key: string, where = "config key"): string {
    const parts = key.split(":");
    if (parts.length === 1 && key !== "") return `${project}:${key}`;
    if (parts.length === 3 && parts[1] === "config") parts.splice(1, 1);
    if (parts.length === 2 && parts[0] !== "" && parts[1] !== "") return parts.join(":");
    throw new PlanConfigError(
        `${where} ${JSON.stringify(key)}: not a configuration key; keys are <namespace>:<name>, e.g. ${project}:tier or aws:region`,
    );
}

/** Which secrets provider encrypted a stack file's `secure:` values, chosen the way the CLI does. */
export type SecretsProviderKind = "passphrase" | "cloud" | "service";

/**
 * The CLI's choice (pkg/cmd/pulumi/stack/secrets.go): a `secretsprovider` URL other than
 * passphrase/default is a cloud KMS key; else an `encryptionsalt` means passphrase; else the
 * backend's default, Pulumi Cloud's service.
 */
export function secretsProviderOf(stackDoc: Readonly<Record<string, unknown>>): SecretsProviderKind {
    const provider = stackDoc.secretsprovider;
    if (typeof provider === "string" && provider !== "" && provider !== "passphrase" && provider !== "default") return "cloud";
    return typeof stackDoc.encryptionsalt === "string" && stackDoc.encryptionsalt !== "" ? "passphrase" : "service";
}

/** Bytes of Go's `base64.StdEncoding` text (which skips CR and LF), or undefined when it would not decode. */
export function base64Length(text: string): number | undefined {
    const clean = text.replace(/[\r\n]/g, "");
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) return undefined;
    return (clean.length / 4) * 3 - (clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0);
}

/** AES-256-GCM as the CLI's symmetric crypter uses it: a 12-byte nonce, a 16-byte tag. */
const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;

/**
 * Why the CLI could not decrypt a `secure:` value, judged by its shape (sdk/go/common/resource/
 * config/crypt.go and pkg/secrets/service): undefined when the shape is right. Passphrase and cloud
 * providers write `v1:<base64 nonce>:<base64 ciphertext>`; Pulumi Cloud writes base64.
 */
export function secureShapeProblem(ciphertext: unknown, provider: SecretsProviderKind): string | undefined {
    if (typeof ciphertext !== "string") {
        return `holds ${Array.isArray(ciphertext) ? "a list" : ciphertext === null ? "nothing" : `a ${typeof ciphertext}`}, not ciphertext`;
    }
    if (ciphertext.trim() === "") return "is empty, not ciphertext";
    if (provider === "service") {
        return (base64Length(ciphertext) ?? 0) > 0 ? undefined : "is not ciphertext of the Pulumi Cloud secrets provider (base64)";
    }
    const [version, nonce, sealed, ...rest] = ciphertext.split(":");
    const ok =
        rest.length === 0 &&
        version === "v1" &&
        base64Length(nonce ?? "") === GCM_NONCE_BYTES &&
        (base64Length(sealed ?? "") ?? 0) >= GCM_TAG_BYTES;
    return ok ? undefined : `is not ciphertext of the ${provider} secrets provider (v1:<nonce>:<ciphertext>, both base64)`;
}

/** A `secure:` value the CLI would refuse: where it is and why. */
export interface SecureProblem {
    readonly path: string;
    readonly reason: string;
}

/**
 * Replaces `{ secure: ... }` anywhere in a value by the placeholder; reports whether it found one.
 * With `provider`, also collects every `secure:` value whose shape that provider cannot decrypt
 * (a plain value committed under `secure:`) into `problems`, by path (`key.NAME`, `key[0]`).
 */
export function maskSecure(
    value: unknown,
    provider?: SecretsProviderKind,
    at = "",
    problems: SecureProblem[] = [],
): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map((v, i) => maskSecure(v, provider, `${at}[${i}]`, problems));
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 1 && entries[0][0] === "secure") {
            const reason = provider === undefined ? undefined : secureShapeProblem(entries[0][1], provider);
            if (reason !== undefined) problems.push({ path: at, reason });
            return { value: SECRET_PLACEHOLDER, secret: true };
        }
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) {
            const masked = maskSecure(v, provider, at === "" ? k : `${at}.${k}`, problems);
            out[k] = masked.value;
            secret = secret || masked.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

/** True for a YAML mapping (not a list, scalar or null). */
function isMap(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What a value is, for a message about a file's shape. */
function kindOf(value: unknown): string {
    return Array.isArray(value) ? "a list" : value === null ? "empty" : `a ${typeof value}`;
}

/** A config value as the program sees it: strings as is, everything else as JSON. */
export function configString(value: unknown): string {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
}

function matchesType(decl: Declaration, value: string): boolean {
    switch (decl.type) {
        case "integer":
            return /^-?\d+$/.test(value);
        case "boolean":
            return value === "true" || value === "false";
        case "array":
            try {
                return Array.isArray(JSON.parse(value));
            } catch {
                return false;
            }
        default:
            return true;
    }
}

/** Project and stack names (sdk/go/common/tokens: ValidateProjectName, ParseStackName). */
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Why the CLI refuses a project or stack name, or undefined when it accepts it. */
export function nameProblem(kind: "project" | "stack", name: string): string | undefined {
    if (name === "") return `a ${kind} name may not be empty`;
    if (name.length > 100) return `a ${kind} name cannot exceed 100 characters`;
    const bad = /[^A-Za-z0-9_.-]/.exec(name);
    return bad && !NAME.test(name)
        ? `a ${kind} name may only contain alphanumerics, hyphens, underscores or periods: invalid character ${JSON.stringify(bad[0])} at position ${bad.index}`
        : undefined;
}

/**
 * The stack's own name from `--stack`, which may be qualified as the CLI allows (`org/stack`,
 * `org/project/stack`); the stack file is `Pulumi.<name>.yaml` either way.
 */
export function stackName(given: string, project: string): string {
    const parts = given.split("/");
    const name = parts[parts.length - 1];
    const problem =
        parts.length > 3
            ? "a stack name is <stack>, <org>/<stack> or <org>/<project>/<stack>"
            : (parts
                  .slice(0, -1)
                  .map((p) =>
                      NAME.test(p) && !/^\.+$/.test(p) ? undefined : `${JSON.stringify(p)} is not an organization or project name`,
                  )
                  .find(Boolean) ??
              nameProblem("stack", name) ??
              (parts.length === 3 && parts[1] !== project
                  ? `the stack belongs to project ${parts[1]}, this is project ${project}`
                  : undefined));
    if (problem) throw new PlanConfigError(`--stack ${JSON.stringify(given)}: ${problem}`);
    return name;
}

/** Whether a raw (YAML-decoded) value has the declared config type (workspace/project.go, ValidateConfigValue). */
export function hasConfigType(type: string | undefined, items: Declaration["items"], value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return value !== null && typeof value === "object" && !Array.isArray(value);
        case "array": {
            const itemType = items as Declaration | undefined;
            return Array.isArray(value) && itemType !== undefined && value.every((v) => hasConfigType(itemType.type, itemType.items, v));
        }
        default:
            return false;
    }
}

const typeName = (d: Declaration): string => (d.items !== undefined ? `array<${typeName(d.items as Declaration)}>` : String(d.type));

/**
 * The CLI's checks of the project's `config:` block (sdk/go/common/workspace/project.go,
 * Project.Validate), with its messages: the project's own keys may declare a type and a default
 * (which must have that type); another package's key (`aws:region`) only sets a `value`.
 */
function validateDeclarations(project: string, declarations: Record<string, unknown>, fileName: string): void {
    for (const [key, raw] of Object.entries(declarations)) {
        // Shorthand (a plain value or a list) is the project's default or another package's value (RewriteShorthandConfigValues).
        if (raw === null || typeof raw !== "object" || Array.isArray(raw)) continue;
        const d = raw as Declaration;
        const problem = (text: string) => new PlanConfigError(`${fileName}: ${text}`);
        if (d.default !== undefined && d.value !== undefined)
            throw problem(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
        if (!key.includes(":") || key.startsWith(`${project}:`)) {
            if (d.type === "array" && d.items === undefined)
                throw problem(
                    `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
                );
            if (d.type !== undefined && d.default !== undefined && !hasConfigType(d.type, d.items, d.default))
                throw problem(`The default value specified for configuration key '${key}' is not of the expected type '${typeName(d)}'`);
            continue;
        }
        if (d.type !== undefined) throw problem(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
        if (d.default !== undefined)
            throw problem(
                `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
            );
        if (d.value === undefined) throw problem(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
    }
}

/** One message for every `secure:` value the CLI would refuse; the values themselves are never printed. */
function describeSecureProblems(fileName: string, provider: SecretsProviderKind, problems: readonly SecureProblem[]): string {
    const lines = problems.map((p) =>
        p.path === "encryptedkey"
            ? `  - encryptedkey ${p.reason}`
            : `  - ${p.path}: the secure value ${p.reason}; a plain value was committed under "secure:". ` +
              `Set it with pulumi config set --secret ${/[.[]/.test(p.path) ? `--path '${p.path}'` : p.path} <value>, and rotate it if it was a real secret`,
    );
    return `${fileName}: ${problems.length} secure value${problems.length === 1 ? "" : "s"} the Pulumi CLI cannot decrypt with the ${provider} secrets provider:\n${lines.join("\n")}`;
}

/** A stack's config values as the program receives them, and which of them are secret. */
interface StackValues {
    config: Record<string, string>;
    secretKeys: Set<string>;
}

/**
 * Loads the config of `stack` in the project at `cwd`, with `overrides` (full or short keys)
 * applied like `pulumi up --config`, and `secretOverrides` like `pulumi config set --secret`.
 */
export function loadProjectConfig(
    cwd: string,
    stack: string,
    overrides: Record<string, string> = {},
    secretOverrides: Record<string, string> = {},
): ProjectConfig {
    const dir = path.resolve(cwd);
    const { projectFile, doc, project } = readProjectFile(dir);
    stack = stackName(stack, project);
    checkProject(doc, project, projectFile);
    const { fileName, stackDoc } = readStackFile(doc, dir, stack, project);
    const values = stackValues(project, stackDoc, fileName);
    applyOverrides(project, values, overrides, secretOverrides);
    applyDeclarations(project, stack, (doc.config ?? {}) as Record<string, unknown>, values);
    const main = path.resolve(dir, typeof doc.main === "string" ? doc.main : ".");
    return { project, stack, cwd: dir, main, config: values.config, secretKeys: [...values.secretKeys].sort() };
}

/** Pulumi.yaml (or .yml) in `dir`, with a project name the CLI accepts. */
function readProjectFile(dir: string): { projectFile: string; doc: Record<string, unknown>; project: string } {
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) throw new PlanConfigError(`no Pulumi.yaml in ${dir}: pass the project directory with --cwd`);
    const doc = (readYaml(projectFile) ?? {}) as Record<string, unknown>;
    const project = doc.name;
    if (typeof project !== "string" || project === "") throw new PlanConfigError(`${projectFile}: "name" is required`);
    const badProject = nameProblem("project", project);
    if (badProject) throw new PlanConfigError(`${projectFile}: name ${JSON.stringify(project)}: ${badProject}`);
    return { projectFile, doc, project };
}

/** The project's `config:` declarations as the CLI checks them, and a runtime the offline plan runs (nodejs). */
function checkProject(doc: Record<string, unknown>, project: string, projectFile: string): void {
    if (doc.config !== undefined && doc.config !== null && (typeof doc.config !== "object" || Array.isArray(doc.config)))
        throw new PlanConfigError(
            `${path.basename(projectFile)}: "config" is ${kindOf(doc.config)}; it declares keys as a map, e.g.\nconfig:\n  tier:\n    type: string`,
        );
    validateDeclarations(project, (doc.config ?? {}) as Record<string, unknown>, path.basename(projectFile));
    const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string } | undefined)?.name;
    if (runtime !== "nodejs")
        throw new PlanConfigError(
            `${projectFile}: runtime "${runtime}" is not supported offline; only nodejs (TypeScript/JavaScript) projects can be planned`,
        );
}

/** Pulumi.<stack>.yaml (in `stackConfigDir` when the project sets it): a map whose `config` is a map. */
function readStackFile(
    doc: Record<string, unknown>,
    dir: string,
    stack: string,
    project: string,
): { fileName: string; stackDoc: Record<string, unknown> } {
    const stackDir = typeof doc.stackConfigDir === "string" ? path.resolve(dir, doc.stackConfigDir) : dir;
    const stackFile = ["yaml", "yml"].map((ext) => path.join(stackDir, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f));
    if (!stackFile) {
        const available = fs
            .readdirSync(stackDir)
            .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
            .filter(Boolean);
        throw new PlanConfigError(`no stack file Pulumi.${stack}.yaml in ${stackDir}; stacks here: ${available.join(", ") || "(none)"}`);
    }
    const stackDoc = readYaml(stackFile) ?? {};
    const fileName = path.basename(stackFile);
    if (!isMap(stackDoc))
        throw new PlanConfigError(
            `${fileName}: the file is ${kindOf(stackDoc)}; a stack file is a map with a "config:" map, e.g.\nconfig:\n  ${project}:tier: production`,
        );
    if (!isMap(stackDoc.config ?? {})) {
        throw new PlanConfigError(
            `${fileName}: "config" is ${kindOf(stackDoc.config)}; it must be a map of key: value (no "- " list items), e.g.\nconfig:\n  ${project}:tier: production`,
        );
    }
    return { fileName, stackDoc };
}

/** The stack file's values by full key, `secure:` ones masked; every value the CLI could not decrypt refused at once. */
function stackValues(project: string, stackDoc: Record<string, unknown>, fileName: string): StackValues {
    const provider = secretsProviderOf(stackDoc);
    const config: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const secureProblems: SecureProblem[] = [];
    for (const [key, raw] of Object.entries((stackDoc.config ?? {}) as Record<string, unknown>)) {
        const name = fullKey(project, key, `${fileName}: config key`);
        const masked = maskSecure(raw, provider, name, secureProblems);
        config[name] = configString(masked.value);
        if (masked.secret) secretKeys.add(name);
    }
    if (provider === "cloud" && secretKeys.size > 0 && typeof stackDoc.encryptedkey !== "string") {
        secureProblems.push({
            path: "encryptedkey",
            reason: `is missing: secretsprovider ${String(stackDoc.secretsprovider)} needs the encrypted data key the CLI wrote with it`,
        });
    }
    if (secureProblems.length > 0) throw new PlanConfigError(describeSecureProblems(fileName, provider, secureProblems));
    return { config, secretKeys };
}

/** `--config` values replace the stack's (and are plain); `--secret` values are real but seen as secret. */
function applyOverrides(
    project: string,
    values: StackValues,
    overrides: Record<string, string>,
    secretOverrides: Record<string, string>,
): void {
    for (const [key, value] of Object.entries(overrides)) {
        const name = fullKey(project, key, "--config");
        values.config[name] = value;
        values.secretKeys.delete(name);
    }
    // Like `pulumi config set --secret`: the value is real, but the program and the report see it as secret.
    for (const [key, value] of Object.entries(secretOverrides)) {
        values.config[fullKey(project, key)] = value;
        values.secretKeys.add(fullKey(project, key));
    }
}

/** A value as one shell word: as it is when nothing in it is special to the shell, else single-quoted. */
const shellWord = (v: string) => (/^[A-Za-z0-9@%+=:,./_-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);

/**
 * The CLI's refusal of a value of the wrong type (`Stack 's' with configuration key 'k' must be of
 * type 'array'`), with the full key, the value (unless it looks secret), what the type takes and the
 * command that sets it: an array item by item with `--path`, also as JSON on the plan's `--config`.
 */
export function typeMismatch(stack: string, name: string, decl: Declaration, value: string): string {
    const hidden = mustHide(name, value);
    const head = `Stack '${stack}' with configuration key '${name}' must be of type '${decl.type}' (got ${hidden ? "(hidden)" : JSON.stringify(value)})`;
    const example = (fallback: string) => (decl.default !== undefined ? configString(decl.default) : fallback);
    switch (decl.type) {
        case "array": {
            const items = hidden
                ? ["<value>"]
                : value
                      .split(",")
                      .map((v) => v.trim())
                      .filter((v) => v !== "");
            const list = items.length > 0 ? items : ["<value>"];
            const sets = list.map((v, i) => `pulumi config set --path ${shellWord(`${name}[${i}]`)} ${shellWord(v)}`).join(" && ");
            return `${head}: a list, set one item at a time: ${sets} (on the plan's command line: --config ${shellWord(`${name}=${JSON.stringify(list)}`)})`;
        }
        case "integer":
            return `${head}: a whole number, e.g. pulumi config set ${name} ${shellWord(example("<number>"))}`;
        case "boolean": {
            const meant = /^(yes|on|1|y|t|True|TRUE)$/.test(value)
                ? "true"
                : /^(no|off|0|n|f|False|FALSE)$/.test(value)
                  ? "false"
                  : undefined;
            return `${head}: true or false: pulumi config set ${name} ${meant ?? example("true")}`;
        }
        default:
            return head;
    }
}

/** The project's declarations applied as the CLI applies them: defaults and values filled in, secret and typed keys checked, missing ones refused. */
function applyDeclarations(project: string, stack: string, declarations: Record<string, unknown>, values: StackValues): void {
    const { config, secretKeys } = values;
    const missing: string[] = [];
    for (const [key, rawDecl] of Object.entries(declarations)) {
        const name = fullKey(project, key);
        const decl: Declaration = rawDecl !== null && typeof rawDecl === "object" ? (rawDecl as Declaration) : { value: rawDecl };
        if (config[name] === undefined) {
            const fallback = decl.default !== undefined ? decl.default : decl.value;
            if (fallback !== undefined) config[name] = configString(fallback);
            else if (name.startsWith(`${project}:`)) missing.push(key);
            continue;
        }
        if (decl.secret && !secretKeys.has(name)) {
            throw new PlanConfigError(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`);
        }
        if (decl.type && !secretKeys.has(name) && !matchesType(decl, config[name]))
            throw new PlanConfigError(typeMismatch(stack, name, decl, config[name]));
    }
    if (missing.length > 0) {
        throw new PlanConfigError(
            `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")}`,
        );
    }
}
