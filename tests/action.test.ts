import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { pinnedActionOf } from "../components/github/actions";
import { ROOT } from "./helpers/plans";

const action = YAML.parse(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8"));
const text = fs.readFileSync(path.join(ROOT, "action.yml"), "utf8");
type Step = { uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> };
const steps: Step[] = action.runs.steps;
const inMode = (mode: string) => steps.filter((s) => s.if === `inputs.mode == '${mode}'`);

describe("the GitHub Action (action.yml)", () => {
    it("is a composite action whose every step belongs to one mode", () => {
        expect(action.runs.using).to.equal("composite");
        expect(inMode("plan").length + inMode("comment").length).to.equal(steps.length);
        expect(Object.keys(action.inputs)).to.include.members(["mode", "stack", "working-directory", "config", "github-token"]);
    });

    it("pins every action by a 40-hex commit, the pin Runway's generated workflows use, with only inputs it declares", () => {
        const used = steps.filter((s) => s.uses);
        expect(used.length).to.equal(3);
        for (const s of used) {
            expect(s.uses).to.match(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
            const pin = pinnedActionOf(s.uses!);
            expect(pin, s.uses).to.not.equal(undefined);
            const line = text.split("\n").find((l) => l.includes(s.uses!))!;
            expect(line).to.match(new RegExp(` # ${pin!.version.replace(/\./g, "\\.")}$`));
            for (const key of Object.keys(s.with ?? {})) expect(pin!.inputs, `${pin!.repo} input ${key}`).to.include(key);
        }
    });

    it("gives the pull request's code no token and no secret; only the comment job writes", () => {
        for (const s of inMode("plan")) expect(JSON.stringify(s)).not.to.match(/github-token|secrets\.|GITHUB_TOKEN/);
        expect(text).not.to.include("secrets.");
        expect(text).not.to.match(/pull_request_target/);
        // Untrusted values reach scripts through env, never spliced into a run line.
        for (const s of steps.filter((x) => x.run)) expect(s.run).not.to.include("${{");
        const comment = inMode("comment");
        expect(comment.map((s) => s.uses?.split("@")[0] ?? "run")).to.deep.equal([
            "actions/download-artifact",
            "run",
            "marocchino/sticky-pull-request-comment",
        ]);
        expect(comment[1].run).to.include("tr -cd 0-9");
        expect(comment[2].with).to.include({ header: "runway-plan" });
    });

    it("its plan script plans the head, compares with the base branch when it can, and never fails before the upload", () => {
        const script = fs.readFileSync(path.join(ROOT, "action", "plan.sh"), "utf8");
        expect(script).to.include('npx --no-install runway-iac plan "${args[@]}" --markdown --summary "$OUT/summary.md" "${compare[@]}"');
        expect(script).to.include('cat "$OUT/summary.md" >> "$GITHUB_STEP_SUMMARY"');
        expect(script).to.include("npm ci --ignore-scripts").and.include('--json > "$OUT/base.json"');
        expect(script.trim().split("\n").pop()).to.equal("exit 0");
        expect(inMode("plan").map((s) => s.uses?.split("@")[0] ?? "run")).to.deep.equal(["run", "actions/upload-artifact", "run"]);
    });
});
