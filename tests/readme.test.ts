import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { mandatoryViolations, plan } from "../plan";
import { parse } from "yaml";
import { policies } from "../policy/policies";
import { placeholdersIn } from "../rules/placeholders";
import { docFiles, renderReadme } from "../scripts/readme-figures";
import { ROOT, cliIn, planStack } from "./helpers/plans";

/** Each documentation page (README.md, then docs/*.md) and its text. */
const PAGES = docFiles().map((file) => ({ file, name: path.relative(ROOT, file), text: fs.readFileSync(file, "utf8") }));
const README = PAGES[0].text;
/** Every page's text, for what must be said once somewhere in the documentation. */
const ALL_DOCS = PAGES.map((p) => p.text).join("\n");
/** A page's text by its path from the repository root. */
const page = (name: string) => PAGES.find((p) => p.name === name)!.text;

/**
 * Documentation commands the doc-test does not run, and why: only what needs the real Pulumi CLI (and its
 * credentials) or the network, and the suite itself. A test below keeps this list honest.
 */
export const SKIPPED: readonly {
    readonly pattern: RegExp;
    readonly needs:
        | "the Pulumi CLI"
        | "the network"
        | "this suite (run by .ci/run)"
        | "the packed package (tests/package.test.ts runs it outside the repository)";
}[] = [
    { pattern: /^pulumi /, needs: "the Pulumi CLI" },
    { pattern: /^export GITHUB_TOKEN=/, needs: "the Pulumi CLI" },
    { pattern: /^npm ci$/, needs: "the network" },
    { pattern: /^npm pack && cd my-project && npm install /, needs: "the network" },
    { pattern: /^npm test$/, needs: "this suite (run by .ci/run)" },
    { pattern: /^cd infra && npm install$/, needs: "the network" },
    {
        pattern: /^npx runway-iac (init|plan --stack solo)$/,
        needs: "the packed package (tests/package.test.ts runs it outside the repository)",
    },
    // tests/init.test.ts runs init as npx records a tarball; tests/package.test.ts from an installed tarball.
    {
        pattern: /^npx \.\/runway-iac-[\d.]+\.tgz init$/,
        needs: "the packed package (tests/package.test.ts runs it outside the repository)",
    },
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

describe("README and docs/ commands, as written (run from the repository root)", function () {
    this.timeout(180000);
    const commands = PAGES.flatMap((p) => readmeCommands(p.text));
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
        expect(ci).to.match(/^(timeout [^\n]*\s)?npm test( |$)/m);
        const skipped = commands.filter((c) => SKIPPED.some((s) => s.pattern.test(c.command)));
        expect(
            skipped.every((c) =>
                /^(pulumi|export GITHUB_TOKEN|npm (ci|test|pack)|npx (runway-iac|\.\/runway-iac-[\d.]+\.tgz)|cd infra && npm install$)\b/.test(
                    c.command,
                ),
            ),
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

/** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, each space a `-`. */
export function headingAnchor(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

/** The anchors of a markdown text's headings (outside code blocks). */
function anchors(markdown: string): Set<string> {
    const prose = markdown.replace(/^\s*```[\s\S]*?^\s*```$/gm, "");
    return new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingAnchor(m[1])));
}

describe("README as a front page, docs/ for the rest", () => {
    it("the README has at most 250 lines and links every page of docs/", () => {
        expect(README.split("\n").length).to.be.at.most(250);
        const pages = PAGES.slice(1).map((p) => path.relative(ROOT, p.file));
        expect(pages).to.include.members(["docs/tiers.md", "docs/keys.md", "docs/edge.md", "docs/data.md", "docs/day-two.md"]);
        expect(pages).to.include.members(["docs/delivery.md", "docs/cost.md", "docs/library.md", "docs/plan.md", "docs/policy.md"]);
        for (const p of pages) expect(README, p).to.include(`](${p})`);
    });

    it("numbers a quickstart for each cloud, each with an example stack file that plans", () => {
        for (const [title, stack] of [
            ["## Quickstart: deploy solo on GCP", "solo"],
            ["## Quickstart: deploy solo on AWS", "aws-solo"],
        ]) {
            const section = README.slice(README.indexOf(title), README.indexOf("\n## ", README.indexOf(title) + 1));
            expect(section, title).to.match(/^1\. /m).and.match(/^6\. /m);
            expect(section, title).to.include(`npm run -s plan -- --stack ${stack}\n`);
            expect(fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`)), stack).to.equal(true);
        }
    });

    it("each quickstart's step 4 sets every placeholder of its stack file, and the repository's visibility", () => {
        for (const [title, stack] of [
            ["## Quickstart: deploy solo on GCP", "solo"],
            ["## Quickstart: deploy solo on AWS", "aws-solo"],
        ]) {
            const section = README.slice(README.indexOf(title), README.indexOf("\n## ", README.indexOf(title) + 1));
            const step4 = section.slice(section.indexOf("\n4. "), section.indexOf("\n5. "));
            const config: Record<string, unknown> = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")).config;
            const values = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
            // The visibility is required with githubRepository, and the example's `public` may not be the user's.
            const keys = [...placeholdersIn(values, "runway").map((p) => p.key), "runway:githubVisibility"];
            for (const key of keys) {
                const set = key.includes("[") ? `pulumi config set --path '${key}' ` : `pulumi config set ${key} `;
                expect(step4, `${stack}: ${key}`).to.include(set);
            }
        }
    });

    it("every relative link of README.md and docs/ reaches a file, and its heading when it names one", () => {
        const broken: string[] = [];
        for (const { file, name, text } of PAGES) {
            const prose = text.replace(/^\s*```[\s\S]*?^\s*```$/gm, "");
            for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z]+:/.test(target)) continue;
                const [rel, anchor] = target.split("#");
                const dest = rel === "" ? file : path.resolve(path.dirname(file), rel);
                if (!fs.existsSync(dest)) broken.push(`${name}: ${target} (no such file)`);
                else if (anchor && dest.endsWith(".md") && !anchors(fs.readFileSync(dest, "utf8")).has(anchor))
                    broken.push(`${name}: ${target} (no such heading)`);
            }
        }
        expect(broken).to.deep.equal([]);
    });

    it("computes GitHub's heading anchors", () => {
        expect(headingAnchor("The token `pulumi up` needs (`GITHUB_TOKEN`)")).to.equal("the-token-pulumi-up-needs-github_token");
        expect(headingAnchor("AWS (`runway:cloud = aws`)")).to.equal("aws-runwaycloud--aws");
    });
});

describe("README and docs/ prose", () => {
    it("names every policy of the pack with its level", () => {
        const sentence = /Mandatory: ([^;]+); advisory:\s+([^.]+)\./.exec(page("docs/policy.md").replace(/\n/g, " "));
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

describe("the library page's snippet", function () {
    this.timeout(120000);

    it("plans with no policy violation (the package's entry points pointed at this checkout)", async () => {
        const snippet = /^```ts\n([\s\S]*?)^```$/m.exec(page("docs/library.md"))![1];
        expect(snippet).to.match(/from "runway-iac\/gcp"/);
        const dir = fs.mkdtempSync(path.join(ROOT, ".consumer-test-snippet-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: snippet\nruntime: nodejs\nmain: index.ts\n");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  gcp:project: snippet-example\n  gcp:region: us-central1\n");
            fs.writeFileSync(
                path.join(dir, "index.ts"),
                snippet.replace(
                    /from "runway-iac\/([a-z]+)"/g,
                    (_, entry) => `from ${JSON.stringify(path.join(ROOT, "components", entry))}`,
                ),
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

describe("README and docs/ figures", function () {
    this.timeout(120000);

    it("equal what the plans print (npm run readme rewrites the generated blocks of every page)", async () => {
        expect(ALL_DOCS, "the pages have generated blocks").to.match(/<!-- generated:gcp-cost-table -->/);
        for (const { name, text } of PAGES) {
            const expected = await renderReadme(text, (stack, config = {}) => planStack(stack, config));
            expect(text === expected, `${name}: figures differ from the plans: run \`npm run readme\``).to.equal(true);
        }
    });

    it("refuses a block nobody generates", async () => {
        let message = "";
        await renderReadme("<!-- generated:nope --><!-- /generated:nope -->", () => Promise.reject(new Error("not called"))).catch(
            (err: Error) => (message = err.message),
        );
        expect(message).to.match(/"nope" has no generator/);
    });
});
