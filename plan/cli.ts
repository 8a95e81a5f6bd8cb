/**
 * npm run plan -- --stack <name> [--cwd <dir>] [--config key=value ...] [--policy-config <file>] [--json | --markdown] [--compare <base.json>] [--verbose]
 * Exit codes: 0 planned, 1 a mandatory policy violation, 2 bad config or program error.
 */
import { parseArgs } from "util";
import { RunwayInputError } from "../components/errors";
import * as fs from "fs";
import { compareDocuments, parseBaseDocument } from "./compare";
import { mandatoryViolations, plan, PlanConfigError, readPolicyConfigFile, renderComparison, renderTree } from "./index";
import { renderMarkdown } from "./markdown";

function readBase(file: string) {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new PlanConfigError(`--compare ${file}: cannot read it (${(err as NodeJS.ErrnoException).code})`);
    }
    try {
        return parseBaseDocument(text, file);
    } catch (err) {
        throw new PlanConfigError((err as Error).message);
    }
}

const USAGE = "usage: npm run plan -- --stack <name> [--cwd <pulumi project dir>] [--config key=value ...] [--policy-config <file>] [--json | --markdown] [--compare <base plan.json>] [--verbose]";

function parseConfigPairs(pairs: string[]): Record<string, string> {
    const config: Record<string, string> = {};
    for (const pair of pairs) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new PlanConfigError(`--config ${JSON.stringify(pair)}: expected key=value, e.g. --config runway:tier=production`);
        config[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return config;
}

async function main(argv: string[]): Promise<number> {
    let args;
    try {
        args = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", short: "s" },
                cwd: { type: "string", short: "C" },
                config: { type: "string", short: "c", multiple: true },
                "policy-config": { type: "string" },
                json: { type: "boolean" },
                markdown: { type: "boolean" },
                compare: { type: "string" },
                verbose: { type: "boolean", short: "v" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
        }).values;
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (!args.stack) {
        process.stderr.write(`--stack is required\n${USAGE}\n`);
        return 2;
    }
    try {
        if (args.json && args.markdown) throw new PlanConfigError("--json and --markdown: choose one output format");
        const policyConfig = args["policy-config"] ? readPolicyConfigFile(args["policy-config"]) : undefined;
        const base = args.compare ? readBase(args.compare) : undefined;
        const result = await plan({ cwd: args.cwd, stack: args.stack, config: parseConfigPairs(args.config ?? []), verbose: args.verbose, policyConfig });
        const comparison = base ? compareDocuments(base, result.document) : undefined;
        if (args.json) process.stdout.write(`${JSON.stringify(comparison ? { ...result.document, comparison } : result.document, null, 2)}\n`);
        else if (args.markdown) process.stdout.write(renderMarkdown(result.document, comparison));
        else process.stdout.write(`${renderTree(result.document)}\n${comparison ? `\n${renderComparison(comparison)}\n` : ""}`);
        for (const line of result.diagnostics) process.stderr.write(`${line}\n`);
        const policy = mandatoryViolations({ policies: result.document.policies }).length;
        const deployability = mandatoryViolations({ policies: [], deployability: result.document.deployability }).length;
        if (policy > 0) process.stderr.write(`${policy} mandatory policy violation${policy === 1 ? "" : "s"}: this change would fail pulumi preview --policy-pack policy\n`);
        if (deployability > 0) process.stderr.write(`${deployability} mandatory deployability finding${deployability === 1 ? "" : "s"}: pulumi up would fail\n`);
        return policy + deployability > 0 ? 1 : 0;
    } catch (err) {
        const userMistake = err instanceof PlanConfigError || RunwayInputError.isInstance(err) || (err as Error)?.name === "RunError";
        process.stderr.write(`${userMistake ? "" : "program error: "}${(err as Error)?.message ?? String(err)}\n`);
        if (args.verbose && (err as Error)?.stack) process.stderr.write(`${(err as Error).stack}\n`);
        else if (!userMistake) process.stderr.write("(run with --verbose for the stack trace)\n");
        return 2;
    }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(2);
});
