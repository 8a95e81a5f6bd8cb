/**
 * The bootstrap program's config, validated at once: every problem names the key, the value and
 * what is allowed, before any resource is registered.
 */
import { Problem, throwIfProblems } from "../rules/problems";

export const NAMESPACE = "runway-bootstrap";

export interface BootstrapSettings {
    cloud: "gcp" | "aws";
    /** GCP project id (gcp). */
    project: string;
    region: string;
    /** Explicit bucket name, or undefined for the default. */
    bucketName?: string;
    /** IAM members (gcp) or role/user ARNs (aws) that run Pulumi against the backend. */
    deployers: string[];
    /** Read-only previewers of one stack each: they read that stack's state and decrypt with its own key. */
    previewers: { stack: string; member: string }[];
    /** The Pulumi project whose stacks the previewers read (its state lives under `.pulumi/stacks/<project>/`). */
    previewProject: string;
    noncurrentVersionDays: number;
    keyRotationDays: number;
    /** AWS: create the account's GitHub OIDC provider (false: another tool owns it). */
    githubOidcProvider: boolean;
}

const GCP_MEMBER = /^(user|group|serviceAccount):[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const AWS_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;
const GCS_BUCKET = /^(?!goog)[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$/;
const S3_BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const GCP_REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Reads the bootstrap's config map (short keys take the `runway-bootstrap` namespace), recording every problem. */
class BootstrapReader {
    readonly problems: Problem[] = [];
    constructor(private readonly values: Readonly<Record<string, string>>) {}

    private full(key: string): string {
        return key.includes(":") ? key : `${NAMESPACE}:${key}`;
    }
    /** The trimmed value, or undefined when unset or empty. */
    get(key: string): string | undefined {
        const v = this.values[this.full(key)];
        return v === undefined || v.trim() === "" ? undefined : v.trim();
    }
    problem(key: string, value: unknown, allowed: string): void {
        this.problems.push({ key: this.full(key), value, allowed });
    }
    /** A whole number of days in [min, max], or `fallback` when unset (or refused). */
    integer(key: string, fallback: number, min: number, max: number, why = ""): number {
        const v = this.get(key);
        if (v === undefined) return fallback;
        if (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max) return Number(v);
        this.problem(key, v, `a whole number of days from ${min} to ${max}${why}`);
        return fallback;
    }
}

/** Validates the flat config map (full keys → strings) Pulumi hands the program. */
export function parseBootstrapConfig(values: Readonly<Record<string, string>>): BootstrapSettings {
    const r = new BootstrapReader(values);
    const cloudValue = r.get("cloud") ?? "gcp";
    if (cloudValue !== "gcp" && cloudValue !== "aws") r.problem("cloud", cloudValue, "gcp or aws");
    const cloud = cloudValue === "aws" ? "aws" : "gcp";
    const { project, region } = readLocation(r, cloud);
    const bucketName = r.get("bucketName");
    if (bucketName !== undefined && !(cloud === "gcp" ? GCS_BUCKET : S3_BUCKET).test(bucketName)) {
        r.problem(
            "bucketName",
            bucketName,
            "3-63 lowercase letters, digits, hyphens or dots, starting and ending with a letter or digit (or empty for the default)",
        );
    }
    const deployers = readDeployers(r, cloud);
    const previewers = parsePreviewers(r.get("previewers"), cloud, (key, value, allowed) => r.problem(key, value, allowed));
    const previewProject = r.get("previewProject") ?? "runway";
    if (!PULUMI_NAME.test(previewProject))
        r.problem(
            "previewProject",
            previewProject,
            "the name of the Pulumi project whose stacks the previewers read (its Pulumi.yaml name)",
        );
    const noncurrentVersionDays = r.integer("noncurrentVersionDays", 90, 1, 3650);
    // AWS KMS accepts 90-2560 days; Cloud KMS any period of a day or more (CIS asks for at most 90).
    const keyRotationDays =
        cloud === "aws" ? r.integer("keyRotationDays", 90, 90, 2560, " (AWS KMS limits)") : r.integer("keyRotationDays", 90, 1, 3650);
    const oidcRaw = r.get("githubOidcProvider");
    if (oidcRaw !== undefined && oidcRaw !== "true" && oidcRaw !== "false")
        r.problem("githubOidcProvider", oidcRaw, "true (create the account's GitHub OIDC provider) or false (another tool owns it)");
    // Google Cloud has no account-wide provider: each stack's workload identity pool is its own.
    const githubOidcProvider = cloud === "aws" && oidcRaw !== "false";

    throwIfProblems("Invalid bootstrap configuration", r.problems);
    return {
        cloud,
        project,
        region,
        ...(bucketName ? { bucketName } : {}),
        deployers,
        previewers,
        previewProject,
        noncurrentVersionDays,
        keyRotationDays,
        githubOidcProvider,
    };
}

/** Where the state lives: the GCP project and region, or the AWS region. */
function readLocation(r: BootstrapReader, cloud: "gcp" | "aws"): { project: string; region: string } {
    if (cloud === "aws") {
        const region = r.get("aws:region") ?? "";
        if (!AWS_REGION.test(region))
            r.problem("aws:region", r.get("aws:region"), "the AWS region of the bucket and key: pulumi config set aws:region us-east-1");
        return { project: "", region };
    }
    const project = r.get("gcp:project") ?? "";
    if (!PROJECT_ID.test(project))
        r.problem("gcp:project", r.get("gcp:project"), "the GCP project that holds the state: pulumi config set gcp:project <project-id>");
    const region = r.get("gcp:region") ?? "us-central1";
    if (!GCP_REGION.test(region)) r.problem("gcp:region", region, "a GCP region such as us-central1 (the bucket and key ring live there)");
    return { project, region };
}

/** Who deploys: Google members or AWS role/user ARNs, granted the state and the key. */
function readDeployers(r: BootstrapReader, cloud: "gcp" | "aws"): string[] {
    let deployers: string[] = [];
    const deployersRaw = r.get("deployers");
    if (deployersRaw !== undefined) {
        try {
            const parsed: unknown = JSON.parse(deployersRaw);
            if (!Array.isArray(parsed) || !parsed.every((d) => typeof d === "string")) throw new Error();
            deployers = parsed;
        } catch {
            r.problem("deployers", deployersRaw, "a list: pulumi config set --path 'deployers[0]' <member>");
        }
    }
    for (const d of deployers) {
        if (cloud === "gcp" && !GCP_MEMBER.test(d))
            r.problem(
                "deployers",
                d,
                "user:<email>, group:<email> or serviceAccount:<email> (e.g. the deployer service accounts Runway creates)",
            );
        if (cloud === "aws" && !AWS_PRINCIPAL.test(d))
            r.problem("deployers", d, "an IAM role or user ARN such as arn:aws:iam::123456789012:role/deployer");
    }
    return deployers;
}

/** Pulumi project and stack names (letters, digits, `-`, `_`, `.`). */
const PULUMI_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** `previewers`: a list of `<stack>=<member>`, one previewer per stack, each member valid for the cloud. */
function parsePreviewers(
    raw: string | undefined,
    cloud: "gcp" | "aws",
    problem: (key: string, value: unknown, allowed: string) => void,
): { stack: string; member: string }[] {
    if (raw === undefined) return [];
    let entries: unknown;
    try {
        entries = JSON.parse(raw);
    } catch {
        entries = undefined;
    }
    const allowed =
        "a list of <stack>=<member>: pulumi config set --path 'previewers[0]' production=serviceAccount:<previewer email> (AWS: production=<previewer role ARN>)";
    if (!Array.isArray(entries) || !entries.every((e) => typeof e === "string")) {
        problem("previewers", raw, allowed);
        return [];
    }
    const out: { stack: string; member: string }[] = [];
    for (const entry of entries as string[]) {
        const at = entry.indexOf("=");
        const stack = entry.slice(0, at);
        const member = entry.slice(at + 1);
        const valid = at > 0 && PULUMI_NAME.test(stack) && (cloud === "gcp" ? GCP_MEMBER.test(member) : AWS_PRINCIPAL.test(member));
        if (!valid) problem("previewers", entry, allowed);
        else if (out.some((p) => p.stack === stack)) problem("previewers", entry, `one previewer per stack (${stack} is listed twice)`);
        else out.push({ stack, member });
    }
    return out;
}
