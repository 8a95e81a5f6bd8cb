/**
 * Issue #15: layers that say what they mean. The shared pure rules depend on nothing; the policy
 * pack and the plan's engine do not reach into Runway's components or program; the tier profile is
 * the only place that tells tiers apart.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { RunwayInputError } from "../rules/problems";

const ROOT = path.resolve(__dirname, "..");

/** Every .ts file under `dir` (relative to the repository). */
function sources(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const entry of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
            const rel = path.join(d, entry.name);
            if (entry.isDirectory()) walk(rel);
            else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(rel);
        }
    };
    walk(dir);
    return out;
}

/** The module specifiers a file imports (import ... from, export ... from, require()). */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);
}

/** Where a relative specifier of `file` lands, relative to the repository (`rules/profile`), or the package name. */
function target(file: string, spec: string): string {
    return spec.startsWith(".") ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)) : spec;
}

function offending(dirs: string[], bad: (target: string) => boolean): string[] {
    return dirs.flatMap(sources).flatMap((f) =>
        importsOf(f)
            .filter((s) => bad(target(f, s)))
            .map((s) => `${f} imports ${s}`),
    );
}

describe("layers", () => {
    it("rules/ depends on nothing: no package, nothing outside rules/", () => {
        expect(offending(["rules"], (t) => !t.startsWith("rules/") && t !== "rules")).to.deep.equal([]);
    });

    it("policy/ imports nothing from components/, stacks/ or plan/ (shared rules come from rules/)", () => {
        expect(offending(["policy"], (t) => /^(components|stacks|plan)(\/|$)/.test(t))).to.deep.equal([]);
    });

    it("the plan's engine (plan/engine) runs any program: it imports no Runway component, program or pack and knows no runway: key", () => {
        expect(
            offending(["plan/engine"], (t) => /^(components|stacks|policy|bootstrap)(\/|$)/.test(t) || /^plan\/(?!engine)/.test(t)),
        ).to.deep.equal([]);
        const keyed = sources("plan/engine").filter((f) => /["'`]runway:/.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
        expect(keyed).to.deep.equal([]);
    });

    it("only the tier profile compares tier names", () => {
        const comparison =
            /(===|!==)\s*["'](solo|staging|production)["']|["'](solo|staging|production)["']\s*(===|!==)|case\s+["'](solo|staging|production)["']/;
        const found = ["components", "stacks", "plan", "policy", "rules", "bootstrap"]
            .flatMap(sources)
            .filter((f) => f !== path.join("rules", "profile.ts"))
            .flatMap((f) =>
                fs
                    .readFileSync(path.join(ROOT, f), "utf8")
                    .split("\n")
                    .map((line, i) => [f, i + 1, line] as const),
            )
            .filter(([, , line]) => comparison.test(line))
            .map(([f, n, line]) => `${f}:${n}: ${line.trim()}`);
        expect(found).to.deep.equal([]);
    });

    it("the one input-error type needs no SDK, yet the Pulumi CLI treats it as a RunError (printed without a stack trace)", () => {
        const err = new RunwayInputError("Invalid", [{ key: "runway:tier", value: "prod", allowed: "one of solo, staging, production" }]);
        expect(pulumi.RunError.isInstance(err)).to.equal(true);
        expect(RunwayInputError.isInstance(err)).to.equal(true);
        expect(err.message).to.equal('Invalid: 1 problem\n  - runway:tier = "prod": one of solo, staging, production');
    });
});
