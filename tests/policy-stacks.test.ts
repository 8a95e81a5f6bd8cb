import { expect } from "chai";
import { policies } from "../policy/policies";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mandatoryViolations, plan } from "../plan";
import { ROOT, cli, planStack } from "./helpers/plans";

const DELIVERY = path.join(ROOT, "tests", "fixtures", "delivery-project");

function tempJson(value: unknown): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "runway-policy-")), "policy-config.json");
    fs.writeFileSync(file, JSON.stringify(value));
    return file;
}

describe("policy pack on whole stacks", function () {
    this.timeout(60000);

    for (const stack of ["solo", "staging", "production"]) {
        it(`${stack}: every policy of the pack runs and none reports a violation`, async () => {
            const { document } = await planStack(stack);
            expect(document.policyPack.policies.map((p) => p.name)).to.deep.equal(policies.map((p) => p.name));
            expect(document.policies.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
        });
    }

    it("fails a Cloud Run service that deploys an untrusted public image", async () => {
        const { document } = await planStack("solo", { "runway:image": "docker.io/library/nginx:latest" });
        expect(mandatoryViolations(document).map((v) => v.policy)).to.deep.equal(["non-root-images"]);
        expect(document.policies[0].message).to.match(
            /deploys template.containers\[0\].image = "docker.io\/library\/nginx:latest", which is neither built in this stack nor on the trusted image list/,
        );
        expect(document.policies[0].urn).to.match(/gcp:cloudrunv2\/service:Service::app-service$/);
    });

    it("checks another project through --cwd: passing, a soft-failing trivy step, no budget", async () => {
        const ok = await plan({ cwd: DELIVERY, stack: "dev" });
        expect(ok.document.policies).to.deep.equal([]);
        const soft = await plan({ cwd: DELIVERY, stack: "dev", config: { trivyContinueOnError: "true" } });
        expect(mandatoryViolations(soft.document).map((v) => v.policy)).to.deep.equal(["blocking-scans"]);
        expect(soft.document.policies[0].message).to.include('step "Image scan" has continue-on-error: true');
        const noBudget = await plan({ cwd: DELIVERY, stack: "dev", config: { budget: "false" } });
        expect(mandatoryViolations(noBudget.document).map((v) => v.policy)).to.deep.equal(["budget-presence"]);
    });

    it("applies a --policy-pack-config document: properties, levels and 'all'", async () => {
        const untrusted = { "runway:image": "docker.io/library/nginx:latest" };
        const trusted = await plan({
            cwd: ROOT,
            stack: "solo",
            config: untrusted,
            policyConfig: { "non-root-images": { trustedImages: ["docker.io/library/nginx:*"] } },
        });
        expect(trusted.document.policies).to.deep.equal([]);
        const advisory = await plan({ cwd: ROOT, stack: "solo", config: untrusted, policyConfig: { all: "advisory" } });
        expect(advisory.document.policies.map((v) => v.level)).to.deep.equal(["advisory"]);
        const disabled = await plan({ cwd: ROOT, stack: "solo", config: untrusted, policyConfig: { "non-root-images": "disabled" } });
        expect(disabled.document.policyPack.policies.map((p) => p.name)).not.to.include("non-root-images");
        expect(disabled.document.policies).to.deep.equal([]);
    });

    it("CLI: exits 1 on a mandatory violation, 0 once the policy config allows it, 2 on bad policy config", async () => {
        const failing = await cli("--stack", "solo", "--config", "runway:image=docker.io/library/nginx:latest");
        expect(failing.code).to.equal(1);
        expect(failing.stdout).to.match(/\[mandatory\] non-root-images {2}gcp:cloudrunv2\/service:Service \(app-service\)/);
        expect(failing.stderr).to.match(/1 mandatory policy violation/);

        const config = tempJson({ "non-root-images": { enforcementLevel: "advisory" } });
        const advisory = await cli(
            "--stack",
            "solo",
            "--config",
            "runway:image=docker.io/library/nginx:latest",
            "--policy-config",
            config,
            "--json",
        );
        expect(advisory.code).to.equal(0);
        expect(JSON.parse(advisory.stdout).policies[0]).to.include({ policy: "non-root-images", level: "advisory" });

        const bad = await cli(
            "--stack",
            "solo",
            "--policy-config",
            tempJson({ "non-root-image": "advisory", "budget-presence": { amount: 5 }, "blocking-scans": { maxAuditLevel: "severe" } }),
        );
        expect(bad.code).to.equal(2);
        expect(bad.stderr).to.include('"non-root-image" is not a policy of pack runway');
        expect(bad.stderr).to.include("budget-presence.amount: not a setting of this policy (settings: minimumThresholds)");
        expect(bad.stderr).to.include('blocking-scans.maxAuditLevel = "severe": one of low, moderate, high, critical');
        expect(bad.stderr).not.to.match(/\n\s+at /);
    });
});
