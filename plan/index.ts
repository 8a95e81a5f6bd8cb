/** Programmatic entry of the offline plan: load a project's config, run it, build the document. */
import { runProject } from "./engine";
import { loadProjectConfig } from "./project";
import { PlanDocument, planDocument } from "./report";

export interface PlanOptions {
    /** Pulumi project directory. @default process.cwd() */
    cwd?: string;
    stack: string;
    /** Overrides like `pulumi up --config key=value` (short keys take the project namespace). */
    config?: Record<string, string>;
    /** Keys of `config` to treat as secrets (as if set with --secret). */
    secretConfig?: Record<string, string>;
    /** Keep source-mapped stack traces for program errors (slower). @default false */
    verbose?: boolean;
}

export interface PlanResult {
    document: PlanDocument;
    diagnostics: string[];
}

/** Plans a stack offline. Throws `PlanConfigError` / `RunwayInputError` for user mistakes. */
export async function plan(options: PlanOptions): Promise<PlanResult> {
    const project = loadProjectConfig(options.cwd ?? process.cwd(), options.stack, { ...options.config, ...options.secretConfig });
    const secretKeys = new Set(project.secretKeys);
    for (const key of Object.keys(options.secretConfig ?? {})) secretKeys.add(key.includes(":") ? key : `${project.project}:${key}`);
    const withSecrets = { ...project, secretKeys: [...secretKeys].sort() };
    const run = await runProject(withSecrets, options.stack, { sourceMappedStacks: options.verbose });
    return {
        document: planDocument(project.project, options.stack, project.config, withSecrets.secretKeys, run.resources, run.outputs),
        diagnostics: run.diagnostics,
    };
}

export { PlanConfigError, SECRET_PLACEHOLDER } from "./project";
export { ResourceRecord, identityOf, recordProgram, recordedBeforeFailure, SECRET_MARK } from "./engine";
export { OFFLINE_NOTICE, PlanDocument, renderTree } from "./report";
