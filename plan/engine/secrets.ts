/**
 * Secret values kept out of every output of the plan (text, `--json`, `--markdown`, stderr, the
 * program's own output and errors), as the Pulumi CLI keeps the secrets it decrypted out of its
 * output: every occurrence becomes `[secret]`. Known secrets are the stack's secret config values
 * (`--secret`, `secure:` values when decrypted) and every value a program marked secret
 * (`pulumi.secret`, a provider's secret outputs) that reached the engine.
 *
 * The CLI's rules (pulumi/pulumi sdk/go/common/util/logging/log.go, `replacements`): values shorter
 * than 3 bytes and `true`/`false` are not filtered (they would blank out ordinary text), and a
 * value is also filtered in its JSON-escaped form. The CLI filters only the config secrets it
 * decrypted; values a program marks secret often come as whole objects (registry credentials with a
 * server and a user name such as `AWS`), so only a string that is itself secret is taken, and only
 * from 8 characters: passwords, tokens, keys and URLs holding them, not the words around them.
 */
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { SECRET_PLACEHOLDER } from "./project";

export const SECRET_TEXT = "[secret]";

/** An object literal, not a class instance (a `Resource`, an `Asset`). */
const isPlainObject = (v: object) => [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** Shortest value the CLI filters (bytes). */
const CONFIG_MIN_BYTES = 3;
/** Shortest string taken from a value the program marked secret. */
export const MARKED_MIN_LENGTH = 8;

/** A value the CLI would filter: at least `min` bytes, not a boolean word, not the offline placeholder. */
function filtered(value: string, min: number): boolean {
    return Buffer.byteLength(value) >= min && !/^(true|false)$/i.test(value) && value !== SECRET_PLACEHOLDER;
}

export class SecretValues {
    private readonly values = new Set<string>();
    private pattern: RegExp | undefined;

    /**
     * Adds a secret config value (the CLI's rules): the string, and when it is JSON of an object or
     * array (a `--path` secret), every string inside.
     */
    add(value: unknown, min: number = CONFIG_MIN_BYTES): void {
        if (typeof value === "string") {
            this.addString(value, min);
            try {
                const parsed = JSON.parse(value);
                if (parsed !== null && typeof parsed === "object") this.add(parsed, min);
            } catch {
                // a plain string
            }
        } else if (Array.isArray(value)) {
            for (const v of value) this.add(v, min);
        } else if (value !== null && typeof value === "object") {
            const signature = (value as Record<string, unknown>)[rpc.specialSigKey];
            // Inside a secret object, a resource (or a reference to one) or an asset is not itself
            // secret (its id or URN is shown elsewhere); a secret inside it is.
            if (signature === rpc.specialSecretSig) this.add((value as { value?: unknown }).value, min);
            else if (signature === undefined && isPlainObject(value)) for (const v of Object.values(value)) this.add(v, min);
        }
    }

    /** Adds a value the program marked secret, when it is a string of at least MARKED_MIN_LENGTH characters. */
    addMarked(value: unknown): void {
        if (typeof value === "string") this.addString(value, MARKED_MIN_LENGTH);
    }

    /** Adds the values of the stack's secret config keys. */
    addConfig(config: Readonly<Record<string, string>>, secretKeys: readonly string[]): void {
        for (const key of secretKeys) if (config[key] !== undefined) this.add(config[key]);
    }

    get size(): number {
        return this.values.size;
    }

    /** `text` with every known secret replaced by `[secret]`. */
    text(text: string): string {
        if (this.values.size === 0 || typeof text !== "string") return text;
        this.pattern ??= new RegExp(
            [...this.values]
                .sort((a, b) => b.length - a.length)
                .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
                .join("|"),
            "g",
        );
        return text.replace(this.pattern, SECRET_TEXT);
    }

    /** A copy of `value` with every known secret in its strings (and object keys) replaced by `[secret]`. */
    mask<T>(value: T): T {
        if (this.values.size === 0) return value;
        const walk = (v: unknown): unknown => {
            if (typeof v === "string") return this.text(v);
            if (Array.isArray(v)) return v.map(walk);
            if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.text(k), walk(x)]));
            return v;
        };
        return walk(value) as T;
    }

    /** Masks an error's message and stack in place (they may quote a secret the program used). */
    maskError(err: unknown): void {
        if (!(err instanceof Error) || this.values.size === 0) return;
        const message = this.text(err.message);
        const stack = err.stack === undefined ? undefined : this.text(err.stack);
        Object.defineProperty(err, "message", { value: message, configurable: true, writable: true });
        if (stack !== undefined) Object.defineProperty(err, "stack", { value: stack, configurable: true, writable: true });
    }

    private addString(value: string, min: number): void {
        if (!filtered(value, min)) return;
        const escaped = JSON.stringify(value).slice(1, -1);
        for (const v of escaped === value ? [value] : [value, escaped]) {
            if (this.values.has(v)) continue;
            this.values.add(v);
            this.pattern = undefined;
        }
    }
}
