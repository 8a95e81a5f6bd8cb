/** Programmatic entry of the offline plan: load a project's config, run it, build the document. */
import * as fs from "fs";
import * as path from "path";
import { PolicyPackConfig } from "@pulumi/policy";
import { PACK_ENFORCEMENT, PACK_NAME, policies } from "../policy/policies";
import { usageFromConfig } from "../rules/cost/usage";
import { estimateRun } from "./cost";
import { runProject } from "./engine";
import { checkDeployability } from "./deployability";
import { PolicyPackSpec, runPolicies } from "./engine/policies";
import { loadProjectConfig } from "./engine/project";
import { PlanDocument, planDocument } from "./report";

/**
 * Offline defaults for settings the analyzer cannot know: Dockerfile paths are relative to the
 * planned project wherever the pack lives, and the cost policy uses the stack's tier, usage and
 * provider regions. A user's --policy-config still wins.
 */
function policyDefaultsFor(pack: PolicyPackSpec, cwd: string, config: Record<string, string>): Record<string, Record<string, unknown>> {
    const usage = usageFromConfig(config);
    const defaults: Record<string, Record<string, unknown>> = {};
    for (const p of pack.policies) {
        const schema = p.configSchema?.properties ?? {};
        const d: Record<string, unknown> = {};
        if (schema.dockerfileRoot) d.dockerfileRoot = cwd;
        if (schema.usageTier) d.usageTier = usage.tier;
        if (schema.usage) d.usage = usage.overrides;
        if (schema.gcpRegion && config["gcp:region"]) d.gcpRegion = config["gcp:region"];
        if (schema.awsRegion && config["aws:region"]) d.awsRegion = config["aws:region"];
        if (Object.keys(d).length > 0) defaults[p.name] = d;
    }
    return defaults;
}

/**
 * The folder of Runway's policy pack, as `pulumi preview --policy-pack <folder>` takes it: `policy/` in
 * this repository, `dist/policy` in the installed package (`node_modules/runway-iac/dist/policy`).
 */
export const RUNWAY_POLICY_PACK_DIR = path.resolve(__dirname, "..", "policy");

/** Runway's own policy pack, as `pulumi preview --policy-pack policy` loads it. */
export function runwayPolicyPack(): PolicyPackSpec {
    const { version } = JSON.parse(fs.readFileSync(path.join(RUNWAY_POLICY_PACK_DIR, "package.json"), "utf8"));
    return { name: PACK_NAME, version, enforcementLevel: PACK_ENFORCEMENT, policies };
}

export interface PlanOptions {
    /** Pulumi project directory. @default process.cwd() */
    cwd?: string;
    stack: string;
    /** Overrides like `pulumi up --config key=value` (short keys take the project namespace). */
    config?: Record<string, string>;
    /** Secret values (full or short keys), as if set with `pulumi config set --secret`. */
    secretConfig?: Record<string, string>;
    /** Keep source-mapped stack traces for program errors (slower). @default false */
    verbose?: boolean;
    /** Policy pack config in `--policy-pack-config` form. */
    policyConfig?: PolicyPackConfig;
    /** The pack to run. @default Runway's pack (policy/) */
    policyPack?: PolicyPackSpec;
    /** Where the program's own stdout goes (console.log, process.stdout). @default process.stderr */
    output?: (text: string) => void;
    /** End a program still running after this many seconds (a ProgramError). @default DEFAULT_TIMEOUT_SECONDS (300) */
    timeoutSeconds?: number;
}

export interface PlanResult {
    document: PlanDocument;
    diagnostics: string[];
}

/** Plans a stack offline. Throws `PlanConfigError` / `RunwayInputError` for user mistakes. */
export async function plan(options: PlanOptions): Promise<PlanResult> {
    const project = loadProjectConfig(options.cwd ?? process.cwd(), options.stack, options.config, options.secretConfig);
    const pack = options.policyPack ?? runwayPolicyPack();
    // Offline, Dockerfile paths are relative to the planned project, wherever the pack lives.
    const planDefaults = policyDefaultsFor(pack, project.cwd, project.config);
    const run = await runProject(project, project.stack, {
        sourceMappedStacks: options.verbose,
        output: options.output,
        timeoutSeconds: options.timeoutSeconds,
    });
    const report = await runPolicies(pack, run, options.policyConfig, planDefaults);
    const cost = estimateRun(run.resources, project.config);
    // Whatever the program did with a secret (read it with a plain getter and exported it, put it
    // in a name or a message), the document never shows it.
    return run.secrets.mask({
        document: planDocument(
            project.project,
            project.stack,
            project.config,
            project.secretKeys,
            run.resources,
            run.outputs,
            report,
            cost,
            checkDeployability(run.resources, { stack: project.stack, config: project.config, refusals: run.refusals }),
            run.lookups,
        ),
        diagnostics: run.diagnostics,
    });
}

export { PlanConfigError, SECRET_PLACEHOLDER } from "./engine/project";
export { DEFAULT_TIMEOUT_SECONDS, Lookup, ResourceRecord, identityOf, recordProgram, recordedBeforeFailure, SECRET_MARK } from "./engine";
export { ProgramError, UnfinishedProgramError } from "./engine/host";
export { SecretValues } from "./engine/secrets";
export {
    OFFLINE_NOTICE,
    PlanDocument,
    mandatoryViolations,
    renderComparison,
    renderCost,
    renderDeployability,
    renderPolicies,
    renderTree,
    usd,
} from "./report";
export {
    DEPLOYABILITY_CHECKS,
    DeployabilityFinding,
    REGIONAL_QUOTAS,
    REPLACE_ON_CHANGE,
    SECRET_READERS,
    UNIQUE_NAMES,
    checkDeployability,
} from "./deployability";
export { Comparison, compareDocuments, parseBaseDocument } from "./compare";
export {
    COMMENT_MAX_LENGTH,
    DIAGRAM_LEGEND,
    commentMaxLength,
    MarkdownOptions,
    accessGrants,
    mermaidDiagram,
    renderMarkdown,
} from "./markdown";
export { mdCell, mdCode, mdHeading, mdText, mermaidLabel, withoutCommentMarkers } from "./escape";
export { estimateRun } from "./cost";
export { PolicyReport, PolicyViolation, readPolicyConfigFile, resolvePolicyConfig, runPolicies } from "./engine/policies";
