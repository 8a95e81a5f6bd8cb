/**
 * What a policy analyzer receives for a resource's inputs, derived from what the program sent.
 *
 * The engine unmarshals a registration with `KeepResources` and `ComputeAssetHashes` in the
 * program's working directory (pulumi/pulumi pkg/resource/deploy/source_eval.go, RegisterResource),
 * then marshals the inputs for the analyzer with `KeepUnknowns`, `KeepSecrets`, `SkipInternalKeys`
 * and without `KeepResources` (pkg/resource/plugin/analyzer_plugin.go, Analyze/AnalyzeStack; the
 * rules are in pkg/resource/plugin/rpc.go, MarshalPropertyValue):
 * - a resource reference becomes the custom resource's id (unknown when the id is unknown), or the
 *   component's URN (a component has no id);
 * - an asset keeps its path / text / uri and gains `hash`, the SHA-256 of its contents;
 * - an archive keeps its path / uri / assets; `hash` is the SHA-256 of the file when the path is a
 *   .tar/.tgz/.tar.gz/.zip/.jar file. For a folder or an `AssetArchive` the engine hashes a tar it
 *   writes itself; that hash is left out offline rather than guessed. Assets inside an archive are
 *   not hashed by the engine either;
 * - secrets and unknowns stay as they are; output values (never sent offline) fold back into
 *   secrets and unknowns; top-level keys starting with `__` are dropped.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

const SIG = rpc.specialSigKey;
/** The archive formats the engine recognises by extension (archive.go, ArchiveExts). */
const ARCHIVE_EXTENSIONS = [".tar", ".tgz", ".tar.gz", ".zip", ".jar"];

export interface AnalyzerInputs {
    /** The inputs in wire form, as the analyzer would receive them. */
    properties: Record<string, unknown>;
    /** What the engine would refuse while registering (e.g. an asset whose file does not exist). */
    problems: string[];
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function assetHash(asset: Record<string, unknown>, cwd: string, at: string, problems: string[]): string | undefined {
    if (typeof asset.text === "string") return sha256(asset.text);
    if (typeof asset.path === "string") {
        try {
            return sha256(fs.readFileSync(path.resolve(cwd, asset.path)));
        } catch (err) {
            problems.push(
                `${at}: the asset file ${asset.path} cannot be read (${(err as NodeJS.ErrnoException).code}); pulumi preview fails with "failed to compute asset hash"`,
            );
        }
    }
    return undefined; // a remote asset: the engine downloads it to hash it; offline we cannot
}

function archiveHash(archive: Record<string, unknown>, cwd: string, at: string, problems: string[]): string | undefined {
    if (typeof archive.path !== "string") return undefined;
    const file = path.resolve(cwd, archive.path);
    if (!fs.existsSync(file)) {
        problems.push(`${at}: the archive path ${archive.path} does not exist; pulumi preview fails with "failed to compute archive hash"`);
        return undefined;
    }
    return ARCHIVE_EXTENSIONS.some((ext) => archive.path!.toString().endsWith(ext)) && fs.statSync(file).isFile()
        ? sha256(fs.readFileSync(file))
        : undefined;
}

/** The string fields of `obj` among `keys` (what asset.go / archive.go Serialize write). */
function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    return Object.fromEntries(keys.filter((k) => typeof obj[k] === "string" && obj[k] !== "").map((k) => [k, obj[k]]));
}

function convert(value: unknown, cwd: string, at: string, problems: string[], nestedInArchive: boolean): unknown {
    if (Array.isArray(value)) return value.map((v, i) => convert(v, cwd, `${at}[${i}]`, problems, nestedInArchive));
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    switch (obj[SIG]) {
        case rpc.specialResourceSig:
            if (!("id" in obj)) return obj.urn;
            return obj.id === "" || obj.id === rpc.unknownValue ? rpc.unknownValue : obj.id;
        case rpc.specialOutputValueSig: {
            const inner = "value" in obj ? convert(obj.value, cwd, at, problems, nestedInArchive) : rpc.unknownValue;
            return obj.secret === true ? { [SIG]: rpc.specialSecretSig, value: inner } : inner;
        }
        case rpc.specialSecretSig:
            return { [SIG]: rpc.specialSecretSig, value: convert(obj.value, cwd, at, problems, nestedInArchive) };
        case rpc.specialAssetSig: {
            // The engine keeps only the fields it knows (the SDK also sends `__pulumiAsset`).
            const hash = obj.hash ?? (nestedInArchive ? undefined : assetHash(obj, cwd, at, problems));
            return { [SIG]: obj[SIG], ...(hash !== undefined ? { hash } : {}), ...pick(obj, ["path", "text", "uri"]) };
        }
        case rpc.specialArchiveSig: {
            const hash = obj.hash ?? (nestedInArchive ? undefined : archiveHash(obj, cwd, at, problems));
            const assets =
                obj.assets !== null && typeof obj.assets === "object"
                    ? {
                          assets: Object.fromEntries(
                              Object.entries(obj.assets).map(([k, v]) => [k, convert(v, cwd, `${at}.${k}`, problems, true)]),
                          ),
                      }
                    : {};
            return { [SIG]: obj[SIG], ...(hash !== undefined ? { hash } : {}), ...assets, ...pick(obj, ["path", "uri"]) };
        }
        default: {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(obj)) out[k] = convert(v, cwd, at ? `${at}.${k}` : k, problems, nestedInArchive);
            return out;
        }
    }
}

/** The analyzer's view of `wire` (inputs in `Struct.toJavaScript()` form) for a program run in `cwd`. */
export function analyzerInputs(wire: Record<string, unknown>, cwd: string): AnalyzerInputs {
    const problems: string[] = [];
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(wire)) {
        if (key.startsWith("__")) continue;
        properties[key] = convert(value, cwd, key, problems, false);
    }
    return { properties, problems };
}
