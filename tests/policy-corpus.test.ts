/**
 * The policy corpus (tests/fixtures/policy-corpus/cases.yaml): Dockerfiles in the
 * patterns real projects use, each with the verdict its anchor tool's rule gives, run through the
 * real policies exactly as the engine calls them. Every violation has a compliant look-alike, so a
 * false alarm fails here as surely as a miss does.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { baseImageUsers, nonRootImages } from "../policy/policies";
import { FakeResource, checkPolicy } from "./helpers/policyRun";

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

const cases = parse(fs.readFileSync(path.join(CORPUS, "cases.yaml"), "utf8")) as {
    dockerfiles: DockerfileCase[];
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
    const reports = await Promise.all([nonRootImages, baseImageUsers].map((p) => checkPolicy(p, [image], { config })));
    return outcome(reports.flatMap((r) => r.violations));
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

describe("policy corpus: shape", () => {
    it("every file is used, and there are at least as many compliant cases as violations", () => {
        const dockerfiles = fs.readdirSync(path.join(CORPUS, "dockerfiles"));
        expect(dockerfiles.filter((f) => !cases.dockerfiles.some((c) => c.file === f))).to.deep.equal([]);
        const failing = cases.dockerfiles.filter((c) => c.expect === "fail").length;
        expect(cases.dockerfiles.length - failing).to.be.at.least(failing);
    });
});
