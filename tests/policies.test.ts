import { expect } from "chai";
import * as path from "path";
import {
    baseImageUsers,
    blockingScans,
    budgetPresence,
    ciTrustScoped,
    noPlaintextSecrets,
    noPrimitiveRoles,
    nonRootImages,
    protectedProductionData,
    rootBuildStages,
    unverifiedScans,
} from "../policy/policies";
import { FakeResource, UNKNOWN, checkPolicy, messages, urnOf } from "./helpers/policyRun";
import { DECOMMISSION_HINT } from "../policy/policies/protectedProductionData";

const DOCKERFILES = path.join(__dirname, "fixtures", "dockerfiles");
const IMAGE = "docker:index/image:Image";
const RUN = "gcp:cloudrunv2/service:Service";
const image = (name: string, dockerfile: string): FakeResource => ({
    type: IMAGE,
    name,
    props: { imageName: `reg/app/${name}:1`, build: { context: ".", dockerfile } },
});
const service = (name: string, img: unknown, fromImage?: string): FakeResource => ({
    type: RUN,
    name,
    props: { location: "us-central1", template: { containers: [{ image: img }] } },
    ...(fromImage ? { propertyDependencies: { template: [fromImage] } } : {}),
});
const rootConfig = { dockerfileRoot: DOCKERFILES };
/** An ECS task definition of one container "app" running `image`, as `user` when given. */
const ecsTask = (image: string, user?: string): FakeResource => ({
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "task",
    props: { family: "app", containerDefinitions: JSON.stringify([{ name: "app", image, ...(user ? { user } : {}) }]) },
});

describe("policy non-root-images", () => {
    it("passes a service deploying an image built from a non-root Dockerfile", async () => {
        const report = await checkPolicy(nonRootImages, [image("app", "Dockerfile.good"), service("web", "reg/app/app@sha256:1", "app")], {
            config: rootConfig,
        });
        expect(messages(report)).to.deep.equal([]);
    });

    it("fails a build whose Dockerfile has no USER, and the service that deploys it", async () => {
        const report = await checkPolicy(
            nonRootImages,
            [image("app", "Dockerfile.nouser"), service("web", "reg/app/app@sha256:1", "app")],
            { config: rootConfig },
        );
        expect(messages(report)).to.have.length(2);
        expect(messages(report)[0]).to.match(
            /^\[mandatory\] Image "app" would run as root: .*Dockerfile.nouser: the final stage .* has no USER instruction/,
        );
        expect(messages(report)[1]).to.match(
            /"web" deploys template.containers\[0\].image from image build "app", whose Dockerfile runs as root/,
        );
    });

    it("fails a Dockerfile that ends as root", async () => {
        const report = await checkPolicy(nonRootImages, [image("app", "Dockerfile.root")], { config: rootConfig });
        expect(messages(report)[0]).to.match(/the final stage "#1 \(FROM [^)]*\)" runs as "root" \(USER root at line 3\), which is root/);
    });

    it("reports an unreadable Dockerfile as a violation, never a pass", async () => {
        const report = await checkPolicy(nonRootImages, [image("app", "missing/Dockerfile")], { config: rootConfig });
        expect(messages(report)[0]).to.match(
            /cannot read the Dockerfile at .*missing\/Dockerfile \(ENOENT\); set the policy's dockerfileRoot/,
        );
    });

    it("resolves Dockerfiles against the pack's parent directory by default", async () => {
        const report = await checkPolicy(nonRootImages, [image("app", "app/Dockerfile")]);
        expect(messages(report)).to.deep.equal([]);
    });

    it("fails an untrusted public image and passes it once it is on the trusted list", async () => {
        const deploy = [service("web", "docker.io/library/nginx:latest")];
        expect(messages(await checkPolicy(nonRootImages, deploy))[0]).to.match(
            /"web" deploys template.containers\[0\].image = "docker.io\/library\/nginx:latest", which is neither built in this stack nor on the trusted image list/,
        );
        expect(
            messages(await checkPolicy(nonRootImages, deploy, { config: { trustedImages: ["docker.io/library/nginx:*"] } })),
        ).to.deep.equal([]);
    });

    it("checks ECS container users and Kubernetes security contexts", async () => {
        const task = (user?: string) => ecsTask("public.ecr.aws/acme/app:1", user);
        const trusted = { trustedImages: ["public.ecr.aws/acme/*"] };
        expect(messages(await checkPolicy(nonRootImages, [task("10001")], { config: trusted }))).to.deep.equal([]);
        expect(messages(await checkPolicy(nonRootImages, [task()], { config: trusted }))[0]).to.match(/ECS container "app" has no user/);
        expect(messages(await checkPolicy(nonRootImages, [task("0:0")], { config: trusted }))[0]).to.match(/runs as "0:0", which is root/);
        const deployment = (securityContext: object): FakeResource => ({
            type: "kubernetes:apps/v1:Deployment",
            name: "web",
            props: { spec: { template: { spec: { securityContext, containers: [{ name: "web", image: "ghcr.io/acme/web:1" }] } } } },
        });
        const k8sTrusted = { trustedImages: ["ghcr.io/acme/*"] };
        expect(messages(await checkPolicy(nonRootImages, [deployment({ runAsNonRoot: true })], { config: k8sTrusted }))).to.deep.equal([]);
        expect(messages(await checkPolicy(nonRootImages, [deployment({ runAsUser: 0 })], { config: k8sTrusted }))[0]).to.match(
            /container "web" runs as uid 0 \(root\)/,
        );
        expect(messages(await checkPolicy(nonRootImages, [deployment({})], { config: k8sTrusted }))[0]).to.match(
            /container "web" may run as root/,
        );
    });

    it("lets the runtime's non-root user stand for an untrusted image's USER (ECS user, Kubernetes runAsUser/runAsNonRoot), never a root one", async () => {
        // Docker `run --user` and Kubernetes runAsUser replace the image's USER; runAsNonRoot: true makes
        // the kubelet refuse to start an image that would run as root.
        const untrusted = /neither built in this stack nor on the trusted image list/;
        const task = (user?: string) => ecsTask("docker.io/library/nginx:1", user);
        expect(messages(await checkPolicy(nonRootImages, [task("1000")]))).to.deep.equal([]);
        expect(messages(await checkPolicy(nonRootImages, [task("app:app")]))).to.deep.equal([]);
        for (const root of ["0", "root", "0:1000"])
            expect(messages(await checkPolicy(nonRootImages, [task(root)]))).to.deep.equal([
                `[mandatory] ECS container "app" runs as "${root}", which is root.`,
            ]);
        const bare = messages(await checkPolicy(nonRootImages, [task()]));
        expect(bare).to.have.length(2);
        expect(bare[1]).to.match(untrusted);

        const deployment = (pod: object, container: object = {}): FakeResource => ({
            type: "kubernetes:apps/v1:Deployment",
            name: "web",
            props: {
                spec: {
                    template: {
                        spec: { securityContext: pod, containers: [{ name: "web", image: "nginx:1.27", securityContext: container }] },
                    },
                },
            },
        });
        expect(messages(await checkPolicy(nonRootImages, [deployment({ runAsNonRoot: true })]))).to.deep.equal([]);
        expect(messages(await checkPolicy(nonRootImages, [deployment({ runAsUser: 10001 })]))).to.deep.equal([]);
        expect(messages(await checkPolicy(nonRootImages, [deployment({}, { runAsUser: 10001 })]))).to.deep.equal([]);
        expect(messages(await checkPolicy(nonRootImages, [deployment({}, { runAsNonRoot: true })]))).to.deep.equal([]);
        for (const [pod, container] of [
            [{ runAsNonRoot: true }, { runAsUser: 0 }],
            [{ runAsNonRoot: true, runAsUser: 0 }, {}],
            [{ runAsUser: 0 }, {}],
        ])
            expect(messages(await checkPolicy(nonRootImages, [deployment(pod, container)]))).to.deep.equal([
                '[mandatory] kubernetes:apps/v1:Deployment "web": container "web" runs as uid 0 (root): set runAsUser to a non-zero uid such as 10001',
            ]);
        for (const [pod, container] of [
            [{}, {}],
            [{ runAsNonRoot: false }, {}],
            [{ runAsNonRoot: true }, { runAsNonRoot: false }],
        ]) {
            const found = messages(await checkPolicy(nonRootImages, [deployment(pod, container)]));
            expect(found).to.have.length(2);
            expect(found[0]).to.match(/container "web" may run as root/);
            expect(found[1]).to.match(untrusted);
        }
    });

    it("is quiet on a stack that builds and deploys nothing", async () => {
        expect(messages(await checkPolicy(nonRootImages, [{ type: "gcp:pubsub/topic:Topic", name: "t", props: {} }]))).to.deep.equal([]);
    });

    it("advises instead of crashing when a deployed image is unknown during preview", async () => {
        const report = await checkPolicy(nonRootImages, [service("web", UNKNOWN)]);
        expect(report.violations).to.have.length(1);
        expect(report.violations[0].level).to.equal("advisory");
        expect(report.violations[0].message).to.match(/can't run policy 'non-root-images' .* during preview/);
    });

    it("trusts an unknown digest when it comes from a passing in-stack build", async () => {
        const report = await checkPolicy(nonRootImages, [image("app", "Dockerfile.good"), service("web", UNKNOWN, "app")], {
            config: rootConfig,
        });
        expect(messages(report)).to.deep.equal([]);
    });
});

describe("policy root-build-stages (advisory)", () => {
    it("advises on a build stage that ends as root", async () => {
        expect(messages(await checkPolicy(rootBuildStages, [image("app", "Dockerfile.good")], { config: rootConfig }))).to.deep.equal([
            `[advisory] ${path.join(DOCKERFILES, "Dockerfile.good")}: build stage "build" ends as "root" (line 2).`,
        ]);
    });

    it("is quiet on a file with no root build stage, and not applicable to other types", async () => {
        expect(messages(await checkPolicy(rootBuildStages, [image("app", "Dockerfile.nouser")], { config: rootConfig }))).to.deep.equal([]);
        const report = await checkPolicy(rootBuildStages, [service("web", "x")]);
        expect(report.notApplicable.map((n) => n.policy)).to.deep.equal(["root-build-stages"]);
    });

    it("advises instead of crashing when the build settings are unknown", async () => {
        const report = await checkPolicy(rootBuildStages, [{ type: IMAGE, name: "app", props: { imageName: "x", build: UNKNOWN } }]);
        expect(report.violations[0]).to.include({ level: "advisory" });
    });
});

describe("policy base-image-users (advisory)", () => {
    const corpus = path.join(__dirname, "fixtures", "policy-corpus", "dockerfiles");
    it("advises on a final USER only the base image can resolve, which non-root-images passes", async () => {
        const build = image("api", "dotnet-app-uid.Dockerfile");
        const advisory = messages(await checkPolicy(baseImageUsers, [build], { config: { dockerfileRoot: corpus } }));
        expect(advisory).to.have.length(1);
        expect(advisory[0]).to.match(
            /^\[advisory\] .*dotnet-app-uid.Dockerfile: the final stage "final" sets USER \$APP_UID at line 13, which depends on APP_UID/,
        );
        expect(messages(await checkPolicy(nonRootImages, [build], { config: { dockerfileRoot: corpus } }))).to.deep.equal([]);
    });

    it("is quiet on a resolved user, and not applicable to other types", async () => {
        expect(messages(await checkPolicy(baseImageUsers, [image("app", "Dockerfile.good")], { config: rootConfig }))).to.deep.equal([]);
        const report = await checkPolicy(baseImageUsers, [service("web", "x")]);
        expect(report.notApplicable.map((n) => n.policy)).to.deep.equal(["base-image-users"]);
    });
});

describe("policy budget-presence", () => {
    const gcpBudget = (units: string, thresholds = [{ thresholdPercent: 0.5 }]): FakeResource => ({
        type: "gcp:billing/budget:Budget",
        name: "budget",
        props: {
            billingAccount: "000000-000000-000000",
            amount: { specifiedAmount: { currencyCode: "USD", units } },
            thresholdRules: thresholds,
            allUpdatesRule: { pubsubTopic: "projects/p/topics/t" },
        },
    });

    it("passes a stack with a complete budget", async () => {
        expect(messages(await checkPolicy(budgetPresence, [gcpBudget("20")]))).to.deep.equal([]);
    });

    it("fails a stack with no budget at all (it is never 'not applicable')", async () => {
        const report = await checkPolicy(budgetPresence, [{ type: "gcp:pubsub/topic:Topic", name: "t", props: {} }]);
        expect(messages(report)).to.deep.equal([
            "[mandatory] The stack has no budget (gcp:billing/budget:Budget or aws:budgets/budget:Budget): nothing warns anyone before the bill grows.",
        ]);
        expect(report.notApplicable).to.deep.equal([]);
    });

    it("fails a budget of zero or without thresholds", async () => {
        expect(messages(await checkPolicy(budgetPresence, [gcpBudget("0")]))[0]).to.match(
            /Budget "budget": amount.specifiedAmount.units must be greater than 0/,
        );
        expect(messages(await checkPolicy(budgetPresence, [gcpBudget("20", [])]))[0]).to.match(
            /thresholdRules needs at least 1 threshold \(has 0\)/,
        );
    });

    it("advises when the amount is unknown during preview", async () => {
        const report = await checkPolicy(budgetPresence, [{ ...gcpBudget("20"), props: { amount: UNKNOWN } }]);
        expect(report.violations.map((v) => v.level)).to.deep.equal(["advisory"]);
    });
});

const workflow = (lines: string[]): FakeResource => ({
    type: "github:index/repositoryFile:RepositoryFile",
    name: "ci",
    props: { repository: "app", file: ".github/workflows/ci.yml", content: lines.join("\n") },
});
const SCAN_JOB = [
    "on: [pull_request, push]",
    "jobs:",
    "  security:",
    "    name: Security",
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 15",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "      - uses: gitleaks/gitleaks-action@v2",
    "      - run: npm audit --audit-level=high",
    "      - uses: hadolint/hadolint-action@v3.1.0",
    "      - run: docker build -t app:ci app",
    "      - name: Image scan",
    "        uses: aquasecurity/trivy-action@v0.36.0",
    "        with:",
    "          image-ref: app:ci",
    "          exit-code: '1'",
    "          severity: HIGH,CRITICAL",
];
const protection = (contexts: string[]): FakeResource => ({
    type: "github:index/branchProtection:BranchProtection",
    name: "main",
    props: { repositoryId: "app", pattern: "main", requiredStatusChecks: [{ strict: true, contexts }] },
});

describe("policy blocking-scans", () => {
    it("passes blocking scans required on the default branch", async () => {
        expect(messages(await checkPolicy(blockingScans, [workflow(SCAN_JOB), protection(["Security"])]))).to.deep.equal([]);
    });

    it("fails a trivy step with continue-on-error: true", async () => {
        const soft = [...SCAN_JOB.slice(0, 14), "        continue-on-error: true", ...SCAN_JOB.slice(14)];
        expect(messages(await checkPolicy(blockingScans, [workflow(soft), protection(["Security"])]))).to.deep.equal([
            '[mandatory] No image-scan blocks a change: .github/workflows/ci.yml: job "security" step "Image scan" has continue-on-error: true (remove it, or set it to false). Add a scan that fails its job on findings and runs on pull requests or pushes.',
        ]);
    });

    it("fails when a required scanner never runs", async () => {
        const noSecrets = SCAN_JOB.filter((l) => !l.includes("gitleaks"));
        expect(messages(await checkPolicy(blockingScans, [workflow(noSecrets), protection(["Security"])]))[0]).to.match(
            /never run: secret-scan/,
        );
    });

    it("fails a deploy job that does not wait for the scans", async () => {
        const deploy = [
            ...SCAN_JOB,
            "  deploy:",
            "    runs-on: ubuntu-latest",
            "    environment: production",
            "    steps:",
            "      - run: gcloud run deploy app --image x",
        ];
        expect(messages(await checkPolicy(blockingScans, [workflow(deploy), protection(["Security"])]))[0]).to.match(
            /deploy job "deploy" does not need a job whose scans block/,
        );
        const gated = [
            ...SCAN_JOB,
            "  deploy:",
            "    needs: security",
            "    runs-on: ubuntu-latest",
            "    environment: production",
            "    steps:",
            "      - run: gcloud run deploy app --image x",
        ];
        expect(messages(await checkPolicy(blockingScans, [workflow(gated), protection(["Security"])]))).to.deep.equal([]);
    });

    it("passes a reporting scan when a blocking scan of the same kind gates the change", async () => {
        const report = [
            "on: [pull_request]",
            "jobs:",
            "  sarif:",
            "    runs-on: ubuntu-latest",
            "    steps:",
            "      - uses: aquasecurity/trivy-action@v0.36.0",
            "        with:",
            "          image-ref: app:ci",
            "          format: sarif",
            "          output: trivy.sarif",
        ];
        const reporting = {
            ...workflow(report),
            name: "report",
            props: { repository: "app", file: ".github/workflows/report.yml", content: report.join("\n") },
        };
        expect(messages(await checkPolicy(blockingScans, [workflow(SCAN_JOB), reporting, protection(["Security"])]))).to.deep.equal([]);
        expect(
            messages(
                await checkPolicy(blockingScans, [reporting, protection(["sarif"])], { config: { requiredScanners: ["image-scan"] } }),
            )[0],
        ).to.match(
            /No image-scan blocks a change: .github\/workflows\/report.yml: job "sarif" step "aquasecurity\/trivy-action@v0.36.0" runs trivy-action without exit-code/,
        );
    });

    it("requires a called workflow's scan job by the check name GitHub gives it: caller / callee", async () => {
        const caller = ["on: [pull_request]", "jobs:", "  checks:", "    uses: ./.github/workflows/security.yml"];
        const callee = [
            "on: [workflow_call]",
            "jobs:",
            "  leaks:",
            "    name: Secret scan",
            "    runs-on: ubuntu-latest",
            "    steps:",
            "      - run: gitleaks git .",
        ];
        const files = [
            { ...workflow(caller), props: { repository: "app", file: ".github/workflows/ci.yml", content: caller.join("\n") } },
            {
                ...workflow(callee),
                name: "security",
                props: { repository: "app", file: ".github/workflows/security.yml", content: callee.join("\n") },
            },
        ];
        const config = { config: { requiredScanners: ["secret-scan"] } };
        expect(messages(await checkPolicy(blockingScans, [...files, protection(["checks / Secret scan"])], config))).to.deep.equal([]);
        expect(messages(await checkPolicy(blockingScans, [...files, protection(["checks"])], config))[0]).to.match(
            /does not require the scan check\(s\) "checks \/ Secret scan"/,
        );
    });

    it("fails when the default branch does not require the scan check, or is not protected", async () => {
        expect(messages(await checkPolicy(blockingScans, [workflow(SCAN_JOB), protection(["test"])]))[0]).to.match(
            /"main" protects main but does not require the scan check\(s\) "Security"/,
        );
        expect(messages(await checkPolicy(blockingScans, [workflow(SCAN_JOB)]))[0]).to.match(
            /no branch protection or ruleset in the stack protects "main"/,
        );
    });

    it("fails registries that do not scan images", async () => {
        const ecr = (scanOnPush: boolean): FakeResource => ({
            type: "aws:ecr/repository:Repository",
            name: "repo",
            props: { imageScanningConfiguration: { scanOnPush } },
        });
        expect(messages(await checkPolicy(blockingScans, [ecr(true)]))).to.deep.equal([]);
        expect(messages(await checkPolicy(blockingScans, [ecr(false)]))[0]).to.match(/ECR repository "repo" does not scan on push/);
        const ar = {
            type: "gcp:artifactregistry/repository:Repository",
            name: "images",
            props: { format: "DOCKER", vulnerabilityScanningConfig: { enablementConfig: "DISABLED" } },
        };
        expect(messages(await checkPolicy(blockingScans, [ar]))[0]).to.match(/vulnerability scanning DISABLED/);
    });

    it("is not applicable to a stack without workflows, protections or registries", async () => {
        const report = await checkPolicy(blockingScans, [{ type: "gcp:pubsub/topic:Topic", name: "t", props: {} }]);
        expect(report.violations).to.deep.equal([]);
        expect(report.notApplicable.map((n) => n.policy)).to.deep.equal(["blocking-scans"]);
    });

    it("advises when a workflow's content is unknown during preview", async () => {
        const report = await checkPolicy(blockingScans, [
            { ...workflow([]), props: { file: ".github/workflows/ci.yml", content: UNKNOWN } },
        ]);
        expect(report.violations.map((v) => v.level)).to.deep.equal(["advisory"]);
    });
});

describe("policy unverified-scans (advisory)", () => {
    const oneStep = (step: string) => [
        "on: [pull_request]",
        "jobs:",
        "  scan:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        `      - ${step}`,
    ];

    it("names a scan whose blocking depends on a config file the stack does not hold", async () => {
        const lines = oneStep("run: trivy image --config trivy.yaml app:ci");
        expect(messages(await checkPolicy(unverifiedScans, [workflow(lines)]))).to.deep.equal([
            '[advisory] .github/workflows/ci.yml: job "scan" step "trivy image --config trivy.yaml app:ci" blocks only if trivy reads its exit code from trivy.yaml, which the pack cannot read.',
        ]);
        const explicit = lines.map((l) => l.replace("--config trivy.yaml", "--config trivy.yaml --exit-code 1"));
        expect(messages(await checkPolicy(unverifiedScans, [workflow(explicit)]))).to.deep.equal([]);
    });

    it("names a local action the stack does not hold, and is not applicable without workflows", async () => {
        const lines = oneStep("uses: ./.github/actions/scan");
        expect(messages(await checkPolicy(unverifiedScans, [workflow(lines)]))[0]).to.match(
            /uses the local action .\/.github\/actions\/scan, whose action.yml is not a file of this stack/,
        );
        const remote = [...oneStep("run: echo").slice(0, 2), "  security:", "    uses: acme/.github/.github/workflows/security.yml@main"];
        expect(messages(await checkPolicy(unverifiedScans, [workflow(remote)]))).to.deep.equal([
            '[advisory] .github/workflows/ci.yml: job "security" calls acme/.github/.github/workflows/security.yml@main, a workflow of another repository that the pack does not read, so its scans are not counted.',
        ]);
        expect(messages(await checkPolicy(blockingScans, [workflow(remote), protection([])]))[0]).to.match(
            /never run: secret-scan, dependency-audit, image-scan, dockerfile-lint \(acme\/.github\/.github\/workflows\/security.yml@main is a workflow of another repository, which the pack does not read \(leave the kinds it covers out of requiredScanners\)\)/,
        );
        const report = await checkPolicy(unverifiedScans, [{ type: "gcp:pubsub/topic:Topic", name: "t", props: {} }]);
        expect(report.notApplicable.map((n) => n.policy)).to.deep.equal(["unverified-scans"]);
    });
});

describe("policy no-primitive-roles", () => {
    const member = (role: string): FakeResource => ({
        type: "gcp:projects/iAMMember:IAMMember",
        name: "grant",
        props: { project: "p", role, member: "user:a@b.co" },
    });
    it("passes a predefined role and fails owner, editor and viewer", async () => {
        expect(messages(await checkPolicy(noPrimitiveRoles, [member("roles/run.invoker")]))).to.deep.equal([]);
        for (const role of ["roles/owner", "roles/editor", "roles/viewer"]) {
            const report = await checkPolicy(noPrimitiveRoles, [member(role)]);
            expect(messages(report)[0]).to.include(`grants ${role}, a primitive role`);
            expect(report.violations[0].urn, "attributed to the analyzed resource").to.equal(
                urnOf("gcp:projects/iAMMember:IAMMember", "grant"),
            );
        }
    });
    it("is not applicable to non-IAM resources and advises on an unknown role", async () => {
        expect(
            (await checkPolicy(noPrimitiveRoles, [{ type: "gcp:pubsub/topic:Topic", name: "t", props: {} }])).notApplicable,
        ).to.have.length(1);
        expect((await checkPolicy(noPrimitiveRoles, [member(UNKNOWN)])).violations[0].level).to.equal("advisory");
    });
});

describe("policy ci-trust-scoped-to-repository", () => {
    const provider = (attributeCondition?: string): FakeResource => ({
        type: "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
        name: "github",
        props: {
            workloadIdentityPoolId: "pool",
            workloadIdentityPoolProviderId: "github",
            ...(attributeCondition !== undefined ? { attributeCondition } : {}),
        },
    });
    it("passes a condition pinning the repository ID and fails a missing, owner-wide or name-only one", async () => {
        expect(
            messages(
                await checkPolicy(ciTrustScoped, [provider("assertion.repository_owner_id == '17' && assertion.repository_id == '4242'")]),
            ),
        ).to.deep.equal([]);
        expect(messages(await checkPolicy(ciTrustScoped, [provider()]))[0]).to.match(/has no attributeCondition/);
        expect(messages(await checkPolicy(ciTrustScoped, [provider("assertion.repository_owner == 'acme'")]))[0]).to.match(
            /keys the trust on a repository name/,
        );
        expect(messages(await checkPolicy(ciTrustScoped, [provider('assertion.repository == "acme/shop"')]))[0]).to.match(
            /keys the trust on a repository name/,
        );
    });
    it("is not applicable elsewhere and advises on an unknown condition", async () => {
        expect((await checkPolicy(ciTrustScoped, [{ type: "gcp:pubsub/topic:Topic", name: "t" }])).notApplicable).to.have.length(1);
        expect((await checkPolicy(ciTrustScoped, [provider(UNKNOWN)])).violations[0].level).to.equal("advisory");
    });
});

describe("policy protected-production-data", () => {
    const db = (protect: boolean, deletionProtection: boolean): FakeResource => ({
        type: "gcp:sql/databaseInstance:DatabaseInstance",
        name: "db",
        protect,
        props: { databaseVersion: "POSTGRES_16", deletionProtection },
    });
    it("passes a protected production database", async () => {
        expect(messages(await checkPolicy(protectedProductionData, [db(true, true)], { stack: "production" }))).to.deep.equal([]);
    });
    it("fails a production database without protect or deletion protection", async () => {
        expect(messages(await checkPolicy(protectedProductionData, [db(false, false)], { stack: "production" }))).to.deep.equal([
            `[mandatory] gcp:sql/databaseInstance:DatabaseInstance "db" in production stack "production" is not protected: set the protect resource option. ${DECOMMISSION_HINT}`,
            '[mandatory] gcp:sql/databaseInstance:DatabaseInstance "db" has deletionProtection = false; production needs true.',
        ]);
    });
    it("is not applicable outside production stacks (configurable) or to stateless types", async () => {
        expect((await checkPolicy(protectedProductionData, [db(false, false)], { stack: "staging" })).notApplicable).to.have.length(1);
        expect(
            messages(
                await checkPolicy(protectedProductionData, [db(false, false)], { stack: "live", config: { productionStacks: ["live"] } }),
            ),
        ).to.have.length(2);
        expect(
            (await checkPolicy(protectedProductionData, [{ type: "gcp:pubsub/topic:Topic", name: "t" }], { stack: "production" }))
                .notApplicable,
        ).to.have.length(1);
    });
    it("advises when the deletion guard is unknown", async () => {
        expect(
            (
                await checkPolicy(protectedProductionData, [{ ...db(true, true), props: { deletionProtection: UNKNOWN } }], {
                    stack: "production",
                })
            ).violations[0].level,
        ).to.equal("advisory");
    });
});

describe("policy no-plaintext-secret-env", () => {
    const withEnv = (envs: object[]): FakeResource => ({
        type: RUN,
        name: "web",
        props: { template: { containers: [{ image: "x", envs }] } },
    });
    it("passes plain config and secret references", async () => {
        expect(
            messages(
                await checkPolicy(noPlaintextSecrets, [
                    withEnv([
                        { name: "LOG_LEVEL", value: "info" },
                        { name: "API_KEY", valueSource: { secretKeyRef: { secret: "s", version: "latest" } } },
                    ]),
                ]),
            ),
        ).to.deep.equal([]);
    });
    it("fails a secret-looking plain value", async () => {
        expect(messages(await checkPolicy(noPlaintextSecrets, [withEnv([{ name: "DB_PASSWORD", value: "hunter2" }])]))).to.deep.equal([
            '[mandatory] gcp:cloudrunv2/service:Service "web" sets DB_PASSWORD as a plain value at template.containers[0].envs[0]; anyone who can read the service definition can read it.',
        ]);
    });
    it("is not applicable to non-workloads and advises on unknown env", async () => {
        expect((await checkPolicy(noPlaintextSecrets, [{ type: "gcp:pubsub/topic:Topic", name: "t" }])).notApplicable).to.have.length(1);
        expect((await checkPolicy(noPlaintextSecrets, [withEnv(UNKNOWN as never)])).violations[0].level).to.equal("advisory");
    });
});
