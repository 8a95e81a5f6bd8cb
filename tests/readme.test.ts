import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { mandatoryViolations, plan } from "../plan";
import { policies } from "../policy/policies";
import { README as README_FILE, renderReadme } from "../scripts/readme-figures";
import { ROOT, cliIn, planStack } from "./helpers/plans";

const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/**
 * README commands the doc-test does not run, and why: only what needs the real Pulumi CLI (and its
 * credentials) or the network, and the suite itself. A test below keeps this list honest.
 */
export const SKIPPED: readonly {
    readonly pattern: RegExp;
    readonly needs: "the Pulumi CLI" | "the network" | "this suite (run by .ci/run)";
}[] = [
    { pattern: /^pulumi /, needs: "the Pulumi CLI" },
    { pattern: /^export GITHUB_TOKEN=/, needs: "the Pulumi CLI" },
    { pattern: /^npm ci$/, needs: "the network" },
    { pattern: /^npm pack && cd my-project && npm install /, needs: "the network" },
    { pattern: /^npm test$/, needs: "this suite (run by .ci/run)" },
];

/** Each command of the README's `sh` blocks: `a && b` gives two, a trailing `# comment` is dropped. */
export function readmeCommands(markdown: string): { line: string; command: string; comment: string }[] {
    const out: { line: string; command: string; comment: string }[] = [];
    for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
        for (const raw of block[1].split("\n")) {
            const line = raw.trim();
            if (line === "" || line.startsWith("#")) continue;
            const hash = line.search(/\s#\s/);
            const body = (hash >= 0 ? line.slice(0, hash) : line).trim();
            const comment =
                hash >= 0
                    ? line
                          .slice(hash)
                          .replace(/^\s#\s/, "")
                          .trim()
                    : "";
            const skipped = SKIPPED.find((s) => s.pattern.test(body));
            if (skipped) out.push({ line, command: body, comment });
            else for (const part of body.split(" && ")) out.push({ line, command: part.trim(), comment });
        }
    }
    return out;
}

/** Shell words with single and double quotes, as sh splits these simple commands. */
export function shellWords(command: string): string[] {
    const words: string[] = [];
    for (const m of command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
    return words;
}

const PLAN = ["npm", "run", "-s", "plan", "--"];

describe("README commands, as written", function () {
    this.timeout(180000);
    const commands = readmeCommands(README);
    const created: string[] = [];

    after(() => {
        for (const file of created) fs.rmSync(file, { force: true });
    });

    it("skips only what needs the Pulumi CLI or the network, and every skip entry is used", () => {
        for (const s of SKIPPED)
            expect(
                commands.some((c) => s.pattern.test(c.command)),
                String(s.pattern),
            ).to.equal(true);
        const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
        expect(ci).to.match(/^npm test$/m);
        const skipped = commands.filter((c) => SKIPPED.some((s) => s.pattern.test(c.command)));
        expect(
            skipped.every((c) => /^(pulumi|export GITHUB_TOKEN|npm (ci|test|pack))\b/.test(c.command)),
            JSON.stringify(skipped),
        ).to.equal(true);
    });

    it("every other command is an `npm run -s plan -- …` the doc-test knows how to run", () => {
        const unknown = commands.filter(
            (c) => !SKIPPED.some((s) => s.pattern.test(c.command)) && PLAN.some((w, i) => shellWords(c.command)[i] !== w),
        );
        expect(unknown.map((c) => c.command)).to.deep.equal([]);
    });

    it("a redirected plan is pure JSON (npm -s prints no banner): run in a real shell", () => {
        const redirected = commands.find((c) => / > \S+$/.test(c.command) && c.command.startsWith(PLAN.join(" ")));
        expect(redirected, "the README shows a redirected plan").to.not.equal(undefined);
        const file = path.join(ROOT, redirected!.command.split(" > ")[1]);
        created.push(file);
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
        const result = spawnSync("sh", ["-c", redirected!.command], { cwd: ROOT, encoding: "utf8", env });
        expect(result.status, result.stderr).to.equal(0);
        expect(JSON.parse(fs.readFileSync(file, "utf8")).stack).to.be.a("string");
    });

    it("every plan command exits as its comment says (0 unless it says `exits N`), in order", async () => {
        for (const c of commands.filter((x) => x.command.startsWith(PLAN.join(" ")))) {
            const [argsPart, redirect] = c.command.split(" > ");
            const args = shellWords(argsPart).slice(PLAN.length);
            const result = await cliIn(ROOT, {}, ...args);
            const expected = Number(/exits (\d)/.exec(c.comment)?.[1] ?? 0);
            expect(result.code, `${c.command}\n${result.stderr}`).to.equal(expected);
            if (redirect) {
                const file = path.join(ROOT, redirect.trim());
                if (!created.includes(file)) created.push(file);
                fs.writeFileSync(file, result.stdout);
            }
            if (args.includes("--compare"))
                expect(result.stdout, c.command).to.match(/### Changes against the base|Changes against the base/);
        }
    });
});

describe("README prose", () => {
    it("names every policy of the pack with its level", () => {
        const sentence = /Mandatory: ([^;]+); advisory:\s+([^.]+)\./.exec(README.replace(/\n/g, " "));
        expect(sentence, "the Mandatory/advisory sentence").to.not.equal(null);
        const names = (s: string) => [...s.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).sort();
        expect(names(sentence![1])).to.deep.equal(
            policies
                .filter((p) => p.enforcementLevel === "mandatory")
                .map((p) => p.name)
                .sort(),
        );
        expect(names(sentence![2])).to.deep.equal(
            policies
                .filter((p) => p.enforcementLevel === "advisory")
                .map((p) => p.name)
                .sort(),
        );
    });
});

describe("README library snippet", function () {
    this.timeout(120000);

    it("plans with no policy violation (the package's entry points pointed at this checkout)", async () => {
        const snippet = /^```ts\n([\s\S]*?)^```$/m.exec(README)![1];
        expect(snippet).to.match(/from "runway\/gcp"/);
        const dir = fs.mkdtempSync(path.join(ROOT, ".consumer-test-snippet-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: snippet\nruntime: nodejs\nmain: index.ts\n");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  gcp:project: snippet-example\n  gcp:region: us-central1\n");
            fs.writeFileSync(
                path.join(dir, "index.ts"),
                snippet.replace(/from "runway\/([a-z]+)"/g, (_, entry) => `from ${JSON.stringify(path.join(ROOT, "components", entry))}`),
            );
            fs.cpSync(path.join(ROOT, "app"), path.join(dir, "app"), { recursive: true });
            const { document } = await plan({ cwd: dir, stack: "dev" });
            expect(document.resources.filter((r) => r.type === "gcp:cloudrunv2/service:Service")).to.have.length(1);
            expect(mandatoryViolations(document)).to.deep.equal([]);
            expect(document.policies.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("README figures", function () {
    this.timeout(120000);

    it("equal what the plans print (npm run readme rewrites the generated blocks)", async () => {
        const text = fs.readFileSync(README_FILE, "utf8");
        expect(text, "README has generated blocks").to.match(/<!-- generated:gcp-cost-table -->/);
        const expected = await renderReadme(text, (stack, config = {}) => planStack(stack, config));
        expect(text === expected, "README.md figures differ from the plans: run `npm run readme`").to.equal(true);
    });

    it("refuses a block nobody generates", async () => {
        let message = "";
        await renderReadme("<!-- generated:nope --><!-- /generated:nope -->", () => Promise.reject(new Error("not called"))).catch(
            (err: Error) => (message = err.message),
        );
        expect(message).to.match(/"nope" has no generator/);
    });
});
