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

function readYaml(file: string): unknown {
    try {
        return YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new PlanConfigError(`cannot read ${file}: ${(err as Error).message}`);
    }
}

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
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) throw new PlanConfigError(`no Pulumi.yaml in ${dir}: pass the project directory with --cwd`);
    const doc = (readYaml(projectFile) ?? {}) as Record<string, unknown>;
    const project = doc.name;
    if (typeof project !== "string" || project === "") throw new PlanConfigError(`${projectFile}: "name" is required`);
    const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string } | undefined)?.name;
    if (runtime !== "nodejs")
        throw new PlanConfigError(
            `${projectFile}: runtime "${runtime}" is not supported offline; only nodejs (TypeScript/JavaScript) projects can be planned`,
        );

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
    const stackConfig = stackDoc.config ?? {};
    if (!isMap(stackConfig)) {
        throw new PlanConfigError(
            `${fileName}: "config" is ${kindOf(stackConfig)}; it must be a map of key: value (no "- " list items), e.g.\nconfig:\n  ${project}:tier: production`,
        );
    }

    const provider = secretsProviderOf(stackDoc);
    const config: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const secureProblems: SecureProblem[] = [];
    for (const [key, raw] of Object.entries(stackConfig)) {
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
    for (const [key, value] of Object.entries(overrides)) {
        const name = fullKey(project, key, "--config");
        config[name] = value;
        secretKeys.delete(name);
    }
    // Like `pulumi config set --secret`: the value is real, but the program and the report see it as secret.
    for (const [key, value] of Object.entries(secretOverrides)) {
        config[fullKey(project, key)] = value;
        secretKeys.add(fullKey(project, key));
    }

    const declarations = (doc.config ?? {}) as Record<string, unknown>;
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
        if (decl.type && !secretKeys.has(name) && !matchesType(decl, config[name])) {
            const shown = mustHide(name, config[name]) ? "(hidden)" : JSON.stringify(config[name]);
            throw new PlanConfigError(`Stack '${stack}' with configuration key '${key}' must be of type '${decl.type}' (got ${shown})`);
        }
    }
    if (missing.length > 0) {
        throw new PlanConfigError(
            `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")}`,
        );
    }

    const main = path.resolve(dir, typeof doc.main === "string" ? doc.main : ".");
    return { project, cwd: dir, main, config, secretKeys: [...secretKeys].sort() };
}
