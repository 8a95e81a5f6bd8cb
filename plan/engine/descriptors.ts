/**
 * Writes a program makes to the process's stdout and stderr file descriptors directly,
 * `fs.writeSync(1, "…")` or `fs.write(2, buffer, callback)`, past the hooks on `process.stdout`:
 * a line written that way would open the `--json` document, and a secret in it would not be masked.
 * Pulumi's language host captures descriptors 1 and 2 of the whole program process; here writes to
 * them through `fs.writeSync` / `fs.write` go where the program's other output goes (stderr, secrets
 * masked), and report the bytes as written. Every other descriptor is written as the program asked.
 */
import fs = require("fs");
import { syncBuiltinESMExports } from "module";

type Fn = (...args: unknown[]) => unknown;

const isIndex = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0;

/**
 * What `fs.writeSync(fd, …rest)` / `fs.write(fd, …rest)` would write, as text and its byte count;
 * undefined for arguments Node would refuse (the original call then throws its own error).
 * Forms: (string, position?, encoding?) and (buffer, offset?, length?, position?) or (buffer, options?).
 */
export function writtenText(rest: readonly unknown[]): { text: string; bytes: number } | undefined {
    const [data, second, third] = rest;
    if (typeof data === "string") {
        const encoding = typeof third === "string" ? third : "utf8";
        if (!Buffer.isEncoding(encoding)) return undefined;
        const bytes = Buffer.from(data, encoding);
        return { text: bytes.toString("utf8"), bytes: bytes.length };
    }
    if (!ArrayBuffer.isView(data)) return undefined;
    const whole = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const options = second !== null && typeof second === "object" ? (second as { offset?: unknown; length?: unknown }) : undefined;
    const offset = (options ? options.offset : second) ?? 0;
    const length = (options ? options.length : third) ?? whole.length - (isIndex(offset) ? offset : 0);
    if (!isIndex(offset) || !isIndex(length) || offset + length > whole.length) return undefined;
    const part = whole.subarray(offset, offset + length);
    return { text: part.toString("utf8"), bytes: part.length };
}

/**
 * Sends writes to descriptors 1 and 2 through `fs.writeSync` and `fs.write` (also as ES module
 * imports of `fs`) to `output`, except while `passThrough()` is true (the plan's own writes).
 * Returns the undo.
 */
export function redirectDescriptorWrites(output: (text: string) => void, passThrough: () => boolean): () => void {
    const target = fs as unknown as Record<"writeSync" | "write", Fn>;
    const saved = { writeSync: target.writeSync, write: target.write };
    const captured = (args: unknown[]) => {
        const fd = args[0];
        if ((fd !== 1 && fd !== 2) || passThrough()) return undefined;
        return writtenText(args.slice(1));
    };
    target.writeSync = function (this: unknown, ...args: unknown[]) {
        const written = captured(args);
        if (!written) return saved.writeSync.apply(this, args);
        output(written.text);
        return written.bytes;
    };
    target.write = function (this: unknown, ...args: unknown[]) {
        const callback = args[args.length - 1];
        const written = typeof callback === "function" ? captured(args.slice(0, -1)) : undefined;
        if (!written) return saved.write.apply(this, args);
        output(written.text);
        process.nextTick(callback as Fn, null, written.bytes, args[1]);
        return undefined;
    };
    syncBuiltinESMExports();
    return () => {
        Object.assign(target, saved);
        syncBuiltinESMExports();
    };
}
