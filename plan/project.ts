/**
 * Reads a Pulumi project's config the way the CLI does: stack file values (`secure:` ones become
 * secret placeholders, since nothing can be decrypted offline), `--config` overrides, then the
 * project's declared defaults, with the CLI's type checks. Also finds the program's entry point.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/** The placeholder every secret config value gets offline. */
export const SECRET_PLACEHOLDER = "[offline-secret]";

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

/** `key` with the project namespace added when it has none, as the CLI does. */
export function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Replaces `{ secure: ... }` anywhere in a value by the placeholder; reports whether it found one. */
export function maskSecure(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map(maskSecure);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 1 && entries[0][0] === "secure") return { value: SECRET_PLACEHOLDER, secret: true };
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) {
            const masked = maskSecure(v);
            out[k] = masked.value;
            secret = secret || masked.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
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

/**
 * Loads the config of `stack` in the project at `cwd`, with `overrides` (full or short keys)
 * applied like `pulumi up --config`, and `secretOverrides` like `pulumi config set --secret`.
 */
export function loadProjectConfig(cwd: string, stack: string, overrides: Record<string, string> = {}, secretOverrides: Record<string, string> = {}): ProjectConfig {
    const dir = path.resolve(cwd);
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) throw new PlanConfigError(`no Pulumi.yaml in ${dir}: pass the project directory with --cwd`);
    const doc = (readYaml(projectFile) ?? {}) as Record<string, unknown>;
    const project = doc.name;
    if (typeof project !== "string" || project === "") throw new PlanConfigError(`${projectFile}: "name" is required`);
    const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string } | undefined)?.name;
    if (runtime !== "nodejs") throw new PlanConfigError(`${projectFile}: runtime "${runtime}" is not supported offline; only nodejs (TypeScript/JavaScript) projects can be planned`);

    const stackDir = typeof doc.stackConfigDir === "string" ? path.resolve(dir, doc.stackConfigDir) : dir;
    const stackFile = ["yaml", "yml"].map((ext) => path.join(stackDir, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f));
    if (!stackFile) {
        const available = fs.readdirSync(stackDir).map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1]).filter(Boolean);
        throw new PlanConfigError(`no stack file Pulumi.${stack}.yaml in ${stackDir}; stacks here: ${available.join(", ") || "(none)"}`);
    }
    const stackDoc = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown> };

    const config: Record<string, string> = {};
    const secretKeys = new Set<string>();
    for (const [key, raw] of Object.entries(stackDoc.config ?? {})) {
        const masked = maskSecure(raw);
        const name = fullKey(project, key);
        config[name] = configString(masked.value);
        if (masked.secret) secretKeys.add(name);
    }
    for (const [key, value] of Object.entries(overrides)) {
        config[fullKey(project, key)] = value;
        secretKeys.delete(fullKey(project, key));
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
            throw new PlanConfigError(`Stack '${stack}' with configuration key '${key}' must be of type '${decl.type}' (got ${JSON.stringify(config[name])})`);
        }
    }
    if (missing.length > 0) {
        throw new PlanConfigError(`Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")}`);
    }

    const main = path.resolve(dir, typeof doc.main === "string" ? doc.main : ".");
    return { project, cwd: dir, main, config, secretKeys: [...secretKeys].sort() };
}
