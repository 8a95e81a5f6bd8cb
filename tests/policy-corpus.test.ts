/**
 * The policy corpus (tests/fixtures/policy-corpus/cases.yaml): Dockerfiles and workflows in the
 * patterns real projects use, each with the verdict its anchor tool's rule gives, run through the
 * real policies exactly as the engine calls them. Every violation has a compliant look-alike, so a
 * false alarm fails here as surely as a miss does.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { baseImageUsers, blockingScans, nonRootImages, unverifiedScans } from "../policy/policies";
import { FakeResource, checkPolicies } from "./helpers/policyRun";

const CORPUS = path.join(__dirname, "fixtures", "policy-corpus");

type Verdict = "pass" | "advisory" | "fail";
interface Case {
    readonly expect: Verdict;
    readonly rule: string;
    readonly message?: string;
}
interface DockerfileCase extends Case {
    readonly file: string;
}
interface WorkflowCase extends Case {
    readonly files: string[];
    readonly kinds: string[];
    /** Local action path (`./`, `./.github/actions/x`) → file under corpus/actions. */
    readonly actions?: Record<string, string>;
}

const cases = parse(fs.readFileSync(path.join(CORPUS, "cases.yaml"), "utf8")) as {
    dockerfiles: DockerfileCase[];
    workflows: WorkflowCase[];
};

interface Outcome {
    readonly verdict: Verdict;
    readonly messages: string[];
}

function outcome(violations: { level: string; message: string }[]): Outcome {
    const mandatory = violations.filter((v) => v.level === "mandatory");
    const verdict: Verdict = mandatory.length > 0 ? "fail" : violations.length > 0 ? "advisory" : "pass";
    return { verdict, messages: (mandatory.length > 0 ? mandatory : violations).map((v) => v.message) };
}

async function runDockerfile(c: DockerfileCase): Promise<Outcome> {
    const image: FakeResource = {
        type: "docker:index/image:Image",
        name: "app",
        props: { imageName: "registry.example/app:1", build: { context: ".", dockerfile: c.file } },
    };
    const config = { dockerfileRoot: path.join(CORPUS, "dockerfiles") };
    const report = await checkPolicies([nonRootImages, baseImageUsers], [image], {
        [nonRootImages.name]: config,
        [baseImageUsers.name]: config,
    });
    return outcome(report.violations);
}

/** The check names GitHub reports for the workflows' jobs (`caller / callee` for a called workflow's), so a protection can require all. */
function checkNames(files: string[], contents: string[]): string[] {
    type Jobs = Record<string, { name?: string; uses?: string }>;
    const jobsOf = (content: string) => Object.entries((parse(content) as { jobs: Jobs }).jobs).map(([id, job]) => ({ id, ...job }));
    return contents.flatMap((content) =>
        jobsOf(content).flatMap((job) => {
            const callee = files.findIndex((f) => job.uses === `./.github/workflows/${f}`);
            const own = job.name ?? job.id;
            return callee < 0 ? [own] : [own, ...jobsOf(contents[callee]).map((c) => `${own} / ${c.name ?? c.id}`)];
        }),
    );
}

async function runWorkflows(c: WorkflowCase): Promise<Outcome> {
    const contents = c.files.map((f) => fs.readFileSync(path.join(CORPUS, "workflows", f), "utf8"));
    const resources: FakeResource[] = c.files.map((f, i) => ({
        type: "github:index/repositoryFile:RepositoryFile",
        name: f,
        props: { repository: "shop", file: `.github/workflows/${f}`, content: contents[i] },
    }));
    for (const [uses, file] of Object.entries(c.actions ?? {})) {
        resources.push({
            type: "github:index/repositoryFile:RepositoryFile",
            name: `action-${file}`,
            props: {
                repository: "shop",
                file: path.posix.join(uses.replace(/^\.\/?/, ""), "action.yml"),
                content: fs.readFileSync(path.join(CORPUS, "actions", file), "utf8"),
            },
        });
    }
    resources.push({
        type: "github:index/branchProtection:BranchProtection",
        name: "main",
        props: { repositoryId: "shop", pattern: "main", requiredStatusChecks: [{ strict: true, contexts: checkNames(c.files, contents) }] },
    });
    const report = await checkPolicies([blockingScans, unverifiedScans], resources, {
        [blockingScans.name]: { requiredScanners: c.kinds },
    });
    return outcome(report.violations);
}

describe("policy corpus: Dockerfiles (non-root-images, base-image-users)", () => {
    for (const c of cases.dockerfiles) {
        it(`${c.file}: ${c.expect} (${c.rule})`, async () => {
            const result = await runDockerfile(c);
            expect(result.verdict, result.messages.join("\n")).to.equal(c.expect);
            if (c.message) expect(result.messages.join("\n")).to.match(new RegExp(c.message));
        });
    }
});

describe("policy corpus: workflows (blocking-scans, unverified-scans)", () => {
    for (const c of cases.workflows) {
        const label = c.files.join(" + ") + (c.actions ? ` with ${Object.values(c.actions).join(", ")}` : "");
        it(`${label}: ${c.expect} on ${c.kinds.join(", ")} (${c.rule})`, async () => {
            const result = await runWorkflows(c);
            expect(result.verdict, result.messages.join("\n")).to.equal(c.expect);
            if (c.message) expect(result.messages.join("\n")).to.match(new RegExp(c.message));
        });
    }
});

describe("policy corpus: shape", () => {
    it("every violation has a compliant look-alike among the cases, and every file is used", () => {
        const dockerfiles = fs.readdirSync(path.join(CORPUS, "dockerfiles"));
        const workflows = fs.readdirSync(path.join(CORPUS, "workflows"));
        expect(dockerfiles.filter((f) => !cases.dockerfiles.some((c) => c.file === f))).to.deep.equal([]);
        expect(workflows.filter((f) => !cases.workflows.some((c) => c.files.includes(f)))).to.deep.equal([]);
        const failing = [...cases.dockerfiles, ...cases.workflows].filter((c) => c.expect === "fail").length;
        const compliant = [...cases.dockerfiles, ...cases.workflows].filter((c) => c.expect !== "fail").length;
        expect(compliant).to.be.at.least(failing);
        // Per workflow kind, a failing case is answered by at least one passing case of the same kind.
        for (const kind of new Set(cases.workflows.flatMap((c) => c.kinds))) {
            const of = cases.workflows.filter((c) => c.kinds.includes(kind));
            expect(
                of.some((c) => c.expect === "pass"),
                kind,
            ).to.equal(true);
        }
    });
});
