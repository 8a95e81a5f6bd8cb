import { expect } from "chai";
import { RunwayInputError } from "../rules/problems";
import { resolveStack } from "../stacks/config";
import { GITHUB_PLANS, GITHUB_VISIBILITIES, deliveryShape, featuresOf, plansOffering, requirementText } from "../rules/github";
import { TIERS, TIER_PROFILES, Tier } from "../rules/profile";
import { rawConfig } from "./helpers/raw";

/** GitHub delivery with the repository's immutable IDs (runway:githubOwnerId / runway:githubRepositoryId). */
const GITHUB = {
    "runway:githubRepository": "acme/shop",
    "runway:githubOwnerId": "17",
    "runway:githubRepositoryId": "4242",
    "runway:githubVisibility": "public",
};

function problemsOf(values: Record<string, string | undefined>, secretKeys: string[] = []): string {
    try {
        resolveStack(rawConfig(values, secretKeys));
    } catch (err) {
        expect(RunwayInputError.isInstance(err), String(err)).to.equal(true);
        return (err as Error).message;
    }
    throw new Error("expected the config to be rejected");
}

describe("config validation", () => {
    it("accepts the minimal solo config and applies the tier preset", () => {
        const s = resolveStack(rawConfig());
        expect(s.tier).to.equal("solo");
        expect(s.settings.minInstances).to.equal(0);
        expect(s.region).to.equal("us-central1");
        expect(s.service).to.include({ name: "app", port: 8080, healthPath: "/health" });
    });

    it("builds app/Dockerfile for linux/amd64 unless a prebuilt image is given", () => {
        const built = resolveStack(rawConfig({ "runway:image": undefined }));
        expect(built.service.image).to.equal("");
        expect(built.service.build).to.deep.equal({ context: "app", dockerfile: "app/Dockerfile", platform: "linux/amd64" });
        const custom = resolveStack(
            rawConfig({ "runway:image": "", "runway:buildContext": "services/api", "runway:buildTarget": "runtime" }),
        );
        expect(custom.service.build).to.deep.equal({
            context: "services/api",
            dockerfile: "services/api/Dockerfile",
            platform: "linux/amd64",
            target: "runtime",
        });
        expect(resolveStack(rawConfig()).service.build).to.equal(undefined);
    });

    it("lets explicit keys win over the tier preset", () => {
        const s = resolveStack(
            rawConfig({
                "runway:tier": "production",
                "runway:domain": "app.example.com",
                "runway:minInstances": "0",
                "runway:cpu": "1",
                "runway:memory": "2Gi",
                "runway:budgetAmount": "120.50",
            }),
        );
        expect(s.settings).to.include({ minInstances: 0, cpu: "1", memory: "2Gi", cpuIdle: false, budgetAmount: 120.5 });
    });

    it("treats empty tier-default keys (the Pulumi.yaml default) as unset", () => {
        const s = resolveStack(
            rawConfig({ "runway:tier": "production", "runway:domain": "app.example.com", "runway:minInstances": "", "runway:cpu": "" }),
        );
        expect(s.settings).to.include({ minInstances: 1, cpu: "2" });
    });

    const bad: [string, Record<string, string | undefined>, RegExp][] = [
        ["unknown tier", { "runway:tier": "prod" }, /runway:tier = "prod": one of solo, staging, production/],
        ["unknown cloud", { "runway:cloud": "azure" }, /runway:cloud = "azure": one of gcp/],
        [
            "min > max instances",
            { "runway:minInstances": "5", "runway:maxInstances": "2" },
            /runway:minInstances = 5: at most maxInstances \(2\)/,
        ],
        ["non-numeric instances", { "runway:maxInstances": "lots" }, /runway:maxInstances = "lots": a whole number from 1 to 1000/],
        ["non-positive budget", { "runway:budgetAmount": "0" }, /runway:budgetAmount = "0": an amount greater than 0/],
        ["negative budget", { "runway:budgetAmount": "-5" }, /runway:budgetAmount = "-5": an amount greater than 0/],
        [
            "malformed email",
            { "runway:alertEmails": JSON.stringify(["ops-at-example"]) },
            /runway:alertEmails = "ops-at-example": email addresses/,
        ],
        ["memory > 4Gi with 1 CPU", { "runway:memory": "8Gi" }, /runway:cpu = "1": at least 2 vCPU for memory 8Gi/],
        ["fractional CPU with concurrency 80", { "runway:cpu": "0.5" }, /runway:concurrency = 80: 1 with fractional CPU 0.5/],
        ["unsupported CPU", { "runway:cpu": "3" }, /runway:cpu = "3": one of 1, 2, 4, 6, 8/],
        ["memory spelled wrong", { "runway:memory": "512MB" }, /runway:memory = "512MB": a size from 128Mi to 32Gi/],
        [
            "production without alert email",
            { "runway:tier": "production", "runway:alertEmails": undefined },
            /runway:alertEmails = \[\]: at least one email: alerts "full" \(tier production\)/,
        ],
        ["missing gcp:project", { "gcp:project": undefined }, /gcp:project = \(not set\): the GCP project to deploy into/],
        ["bad project id", { "gcp:project": "My_Project" }, /gcp:project = "My_Project": a GCP project id/],
        ["bad region", { "gcp:region": "EU" }, /gcp:region = "EU": a GCP region such as us-central1/],
        [
            "absolute build context",
            { "runway:image": undefined, "runway:buildContext": "/srv/other" },
            /runway:buildContext = "\/srv\/other": a directory relative to the Pulumi project/,
        ],
        [
            "absolute Dockerfile path",
            { "runway:image": undefined, "runway:dockerfile": "/etc/Dockerfile" },
            /runway:dockerfile = "\/etc\/Dockerfile": a path relative to the Pulumi project/,
        ],
        ["bad build target", { "runway:image": undefined, "runway:buildTarget": "--push" }, /runway:buildTarget = "--push": a stage name/],
        ["IAP without members", { "runway:tier": "staging" }, /runway:iapMembers = \[\]: at least one member when access is iap/],
        [
            "bad IAP member",
            { "runway:access": "iap", "runway:iapMembers": JSON.stringify(["bob@example.com"]) },
            /runway:iapMembers = "bob@example.com": user:<email>/,
        ],
        [
            "IAP member outside the organisation",
            {
                "runway:access": "iap",
                "runway:iapDomains": JSON.stringify(["example.com"]),
                "runway:iapMembers": JSON.stringify(["user:ana@example.com", "user:bob@gmail.com"]),
            },
            /runway:iapMembers = "user:bob@gmail.com": members of the organisation's domains \(iapDomains: example.com\): IAP on Cloud Run with Google's OAuth client signs in only the project's organisation/,
        ],
        [
            "bad IAP domain",
            {
                "runway:access": "iap",
                "runway:iapDomains": JSON.stringify(["not a domain"]),
                "runway:iapMembers": JSON.stringify(["user:a@example.com"]),
            },
            /runway:iapDomains = "not a domain": a domain name/,
        ],
        ["bad billing account", { "runway:billingAccount": "1234" }, /runway:billingAccount = "1234": a billing account id/],
        ["bad boolean", { "runway:cpuIdle": "yes" }, /runway:cpuIdle = "yes": true or false/],
        ["typo in a key", { "runway:minInstance": "1" }, /runway:minInstance = "1": not a Runway key/],
        [
            "secret-looking plain env",
            { "runway:env": JSON.stringify(["STRIPE_API_KEY=sk_live_123"]) },
            /runway:env = "STRIPE_API_KEY=\(hidden\)": a secret does not belong in plain env/,
        ],
        ["reserved env", { "runway:env": JSON.stringify(["PORT=3000"]) }, /runway:env = "PORT=3000": a name other than PORT/],
        [
            "the same env name twice",
            { "runway:env": JSON.stringify(["FOO=1", "FOO=2"]) },
            /runway:env = "FOO=2": each name once: FOO is already set by an earlier entry/,
        ],
        [
            "static IP without private egress",
            { "runway:staticEgressIp": "true" },
            /runway:staticEgressIp = true: true only with privateEgress true/,
        ],
        [
            "bad GitHub repository",
            { "runway:githubRepository": "https://github.com/acme/shop" },
            /runway:githubRepository = "https:\/\/github.com\/acme\/shop": owner\/repo/,
        ],
        [
            "uptime alerts behind IAP",
            { "runway:tier": "production", "runway:access": "iap", "runway:iapMembers": JSON.stringify(["user:a@example.com"]) },
            /runway:alerts = "full": service while access is iap/,
        ],
        ["external database without URL", { "runway:database": "external" }, /runway:databaseUrl = \(not set\): the external Postgres URL/],
    ];
    for (const [label, values, expected] of bad) {
        it(`rejects ${label}`, () => {
            expect(problemsOf(values)).to.match(expected);
        });
    }

    it("reports every problem at once", () => {
        const message = problemsOf({ "runway:tier": "prod", "runway:cpu": "3", "gcp:region": "EU" });
        expect(message).to.match(/3 problems/);
        expect(message).to.include("runway:tier").and.include("runway:cpu").and.include("gcp:region");
    });

    it("rejects a secret given in plain text without echoing it", () => {
        const message = problemsOf({ "runway:database": "external", "runway:databaseUrl": "postgres://u:hunter2@db/x" });
        expect(message).to.match(/runway:databaseUrl = "\(plain text, hidden\)": set it as a secret/);
        expect(message).not.to.include("hunter2");
    });

    it("accepts secrets set with --secret and keeps them apart from plain settings", () => {
        const s = resolveStack(
            rawConfig(
                {
                    "runway:database": "external",
                    "runway:databaseUrl": "postgres://u:hunter2@db/x",
                    "runway:secrets": JSON.stringify({ API_KEY: "k-123" }),
                },
                ["runway:databaseUrl", "runway:secrets"],
            ),
        );
        expect(s.secretValues).to.deep.equal({ API_KEY: "k-123", DATABASE_URL: "postgres://u:hunter2@db/x" });
        expect(JSON.stringify({ ...s, secretValues: undefined })).not.to.include("hunter2");
    });

    it("rejects runway:secrets set in plain text", () => {
        expect(problemsOf({ "runway:secrets": JSON.stringify({ API_KEY: "k-123" }) })).to.match(
            /runway:secrets.API_KEY = "\(plain text, hidden\)": a value set with --secret/,
        );
    });

    it("parses env entries and GitHub settings; the stack's own name (dev, tier solo) names its deploy workflow and the stack its pull requests plan", () => {
        const s = resolveStack(rawConfig({ "runway:env": JSON.stringify(["LOG_LEVEL=debug", "GREETING=a=b"]), ...GITHUB }));
        expect(s.service.env).to.deep.equal({ LOG_LEVEL: "debug", GREETING: "a=b" });
        expect(s.github).to.deep.equal({
            owner: "acme",
            repo: "shop",
            ownerId: "17",
            repositoryId: "4242",
            defaultBranch: "main",
            stagingBranch: "staging",
            reviewers: [],
            visibility: "public",
            infraDirectory: ".",
            appDirectory: "app",
            dockerfile: "app/Dockerfile",
            stack: "dev",
            delivery: { deployBranch: "main", managesRepository: true, requiredApprovals: 0, previewStacks: ["dev"] },
            deploySource: { name: "solo", branch: "main", workflow: ".github/workflows/deploy-dev.yml" },
        });
    });

    it("runway:previewStacks names the stacks the owning stack's pull-request workflows plan (a staging stack not named staging)", () => {
        const production = {
            ...GITHUB,
            "runway:tier": "production",
            "runway:edge": "false",
            "runway:githubReviewers": JSON.stringify(["ana"]),
        };
        const prod = (values: Record<string, string>) => resolveStack({ ...rawConfig({ ...production, ...values }), stack: "prod" });
        expect(prod({}).github?.delivery.previewStacks, "default: staging by its tier's name, this stack by its own").to.deep.equal([
            "staging",
            "prod",
        ]);
        expect(prod({ "runway:previewStacks": JSON.stringify(["myapp-staging", "prod"]) }).github?.delivery.previewStacks).to.deep.equal([
            "myapp-staging",
            "prod",
        ]);
        const refused = (values: Record<string, string>, stack = "prod") => {
            try {
                resolveStack({ ...rawConfig({ ...production, ...values }), stack });
            } catch (err) {
                return (err as Error).message;
            }
            return "";
        };
        expect(refused({ "runway:previewStacks": JSON.stringify(["stg; rm -rf /", "prod"]) })).to.include(
            'runway:previewStacks = "stg; rm -rf /": Pulumi stack names',
        );
        expect(refused({ "runway:previewStacks": JSON.stringify(["stg"]) })).to.include(
            'runway:previewStacks = ["stg"]: a list that includes this stack (prod)',
        );
        expect(
            refused({ "runway:tier": "staging", "runway:githubReviewers": "[]", "runway:previewStacks": JSON.stringify(["stg"]) }, "stg"),
        ).to.include(
            'runway:previewStacks = ["stg"]: unset on tier staging: the stack of solo or production owns the pull-request workflows',
        );
    });

    it("requires the repository's immutable IDs with githubRepository (the owner's on GCP only), and refuses them without it", () => {
        const missing = problemsOf({ "runway:githubRepository": "acme/shop" });
        expect(missing).to.match(
            /runway:githubOwnerId = \(not set\): the owner's numeric ID[^\n]*gh api repos\/acme\/shop --jq \.owner\.id/,
        );
        expect(missing).to.match(
            /runway:githubRepositoryId = \(not set\): the repository's numeric ID[^\n]*gh api repos\/acme\/shop --jq \.id/,
        );
        expect(problemsOf({ ...GITHUB, "runway:githubRepositoryId": "shop" })).to.match(
            /runway:githubRepositoryId = "shop": the repository's numeric ID/,
        );
        expect(problemsOf({ ...GITHUB, "runway:githubOwnerId": "0017" })).to.match(/runway:githubOwnerId = "0017"/);
        expect(problemsOf({ "runway:githubRepositoryId": "4242" })).to.match(
            /runway:githubRepositoryId = "4242": unset while runway:githubRepository is empty/,
        );
        const aws = resolveStack(
            rawConfig({
                "runway:cloud": "aws",
                "aws:region": "us-east-1",
                "runway:image": "",
                "runway:githubRepository": "acme/shop",
                "runway:githubRepositoryId": "4242",
                "runway:githubVisibility": "public",
            }),
        );
        expect(aws.github).to.include({ repositoryId: "4242" }).and.not.have.property("ownerId");
    });

    it("an invalid runway:githubRepository is the one problem: the keys set with it are not called unset", () => {
        const message = problemsOf({
            ...GITHUB,
            "runway:githubReviewers": JSON.stringify(["ana"]),
            "runway:githubRepository": "https://github.com/me/app",
        });
        expect(message)
            .to.match(/: 1 problem\n/)
            .and.match(/runway:githubRepository = "https:\/\/github\.com\/me\/app": /);
        expect(message).not.to.include("unset while");
    });

    it("refuses a delivery key without runway:githubRepository once, naming it", () => {
        const message = problemsOf({ "runway:githubReviewers": JSON.stringify(["ana"]), "runway:stagingBranch": "next" });
        expect(message).to.match(/: 2 problems\n/);
        expect(message.match(/runway:githubReviewers = \["ana"\]: unset while runway:githubRepository is empty/g)).to.have.length(1);
        expect(message.match(/runway:stagingBranch = "next": unset while runway:githubRepository is empty/g)).to.have.length(1);
    });

    it("refuses a non-boolean runway:stackInNames or runway:ignoreImageChanges instead of reading it as the default", () => {
        expect(problemsOf({ "runway:stackInNames": "yes" })).to.match(/runway:stackInNames = "yes": true or false/);
        expect(problemsOf({ "runway:ignoreImageChanges": "yes" })).to.match(/runway:ignoreImageChanges = "yes": true or false/);
        expect(resolveStack(rawConfig({ "runway:ignoreImageChanges": "true", "runway:stackInNames": "false" }))).to.include({
            ignoreImageChanges: true,
            stackInNames: false,
        });
    });

    it("requires a production reviewer when GitHub delivery is on, and usernames without @", () => {
        expect(problemsOf({ "runway:tier": "production", ...GITHUB })).to.match(
            /runway:githubReviewers = \[\]: at least one GitHub user who approves production deployments/,
        );
        expect(problemsOf({ ...GITHUB, "runway:githubReviewers": JSON.stringify(["@ana"]) })).to.match(
            /runway:githubReviewers = "@ana": GitHub usernames without @/,
        );
        expect(
            resolveStack(
                rawConfig({
                    "runway:tier": "production",
                    "runway:domain": "app.example.com",
                    ...GITHUB,
                    "runway:githubReviewers": JSON.stringify(["ana"]),
                }),
            ).github?.reviewers,
        ).to.deep.equal(["ana"]);
    });
});

describe("runway:serviceName and the ids derived from it", () => {
    it("refuses two hyphens in a row, which the derived ids would fold into one (shop--web and shop-web would share them)", () => {
        expect(() => resolveStack(rawConfig({ "runway:serviceName": "shop--web" }))).to.throw(
            /runway:serviceName = "shop--web": lowercase letters, digits and single hyphens/,
        );
        expect(resolveStack(rawConfig({ "runway:serviceName": "shop-web" })).service.name).to.equal("shop-web");
    });
});

describe("what GitHub sells the repository (runway:githubVisibility, runway:githubPlan)", () => {
    const TIER_CONFIG: Record<Tier, Record<string, string>> = {
        solo: {},
        staging: { "runway:tier": "staging", "runway:iapMembers": JSON.stringify(["group:team@example.com"]) },
        production: { "runway:tier": "production", "runway:domain": "app.example.com" },
    };
    const accepted = (values: Record<string, string | undefined>) => {
        try {
            resolveStack(rawConfig(values));
            return "accepted";
        } catch (err) {
            expect(RunwayInputError.isInstance(err), String(err)).to.equal(true);
            return (err as Error).message;
        }
    };

    it("accepts exactly the visibility and plan that sell what each tier creates, as docs/delivery.md's table says", () => {
        for (const tier of TIERS)
            for (const reviewers of TIER_PROFILES[tier].delivery.reviewersRequired ? [true] : [false, true])
                for (const visibility of GITHUB_VISIBILITIES)
                    for (const plan of GITHUB_PLANS) {
                        const features = featuresOf(deliveryShape(tier, reviewers));
                        const sells = plansOffering(features, visibility).includes(plan);
                        const result = accepted({
                            ...GITHUB,
                            ...TIER_CONFIG[tier],
                            ...(reviewers ? { "runway:githubReviewers": JSON.stringify(["ana"]) } : {}),
                            "runway:githubVisibility": visibility,
                            "runway:githubPlan": plan,
                        });
                        const label = `${tier}${reviewers ? " + reviewers" : ""}, ${visibility} on ${plan}`;
                        if (sells) expect(result, label).to.equal("accepted");
                        else
                            expect(result, label)
                                .to.match(new RegExp(`runway:githubPlan = "${plan}": an? ${visibility} repository`))
                                .and.include(`this delivery needs ${requirementText(features)}`)
                                .and.include("runway:githubVisibility public");
                    }
    });

    it("names what is missing and every way out: the setting, its source, public, another plan, or fewer reviewers", () => {
        const staging = accepted({
            ...GITHUB,
            ...TIER_CONFIG.staging,
            "runway:githubReviewers": JSON.stringify(["ana"]),
            "runway:githubVisibility": "private",
            "runway:githubPlan": "team",
        });
        expect(staging)
            .to.include("a private repository on GitHub Team cannot have required reviewers on an environment")
            .and.include('docs.github.com "Managing environments for deployment"')
            .and.include("or unset runway:githubReviewers");
        const production = accepted({
            ...GITHUB,
            ...TIER_CONFIG.production,
            "runway:githubReviewers": JSON.stringify(["ana"]),
            "runway:githubVisibility": "private",
            "runway:githubPlan": "pro",
        });
        expect(production)
            .to.include("needs a public repository, or a private one on GitHub Enterprise")
            .and.not.include("githubReviewers");
        expect(accepted({ ...GITHUB, "runway:githubVisibility": "private", "runway:githubPlan": "free" })).to.include(
            "branch protection (required checks and reviews on the default branch",
        );
        expect(accepted({ ...GITHUB, "runway:githubVisibility": "internal", "runway:githubPlan": "team" })).to.include(
            "an internal repository (Enterprise only)",
        );
    });

    it("requires the visibility with githubRepository, the plan unless public, and neither without a repository", () => {
        expect(accepted({ ...GITHUB, "runway:githubVisibility": undefined })).to.match(
            /runway:githubVisibility = \(not set\): public, private or internal[^\n]*gh api repos\/acme\/shop --jq \.visibility/,
        );
        expect(accepted({ ...GITHUB, "runway:githubVisibility": "private" })).to.match(
            /runway:githubPlan = \(not set\): free, pro, team or enterprise/,
        );
        expect(accepted({ ...GITHUB, "runway:githubVisibility": "secret" })).to.match(
            /runway:githubVisibility = "secret": one of public, private, internal/,
        );
        expect(accepted({ "runway:githubVisibility": "public" })).to.match(
            /runway:githubVisibility = "public": unset while runway:githubRepository is empty/,
        );
    });
});

describe("the resolved stack (resolveStack: what the compositions read, and nothing they decide)", () => {
    const AWS_PRODUCTION = {
        "gcp:project": undefined,
        "gcp:region": undefined,
        "runway:billingAccount": undefined,
        "runway:cloud": "aws",
        "aws:region": "us-east-1",
        "runway:tier": "production",
        "runway:domain": "app.example.com",
    };

    it("takes the cost estimate's usage from the resolved tier, not from the raw runway:tier text", () => {
        const s = resolveStack(rawConfig({ "runway:tier": " staging ", "runway:iapMembers": '["user:a@example.com"]' }));
        expect(s.tier).to.equal("staging");
        expect(s.usage).to.deep.equal(TIER_PROFILES.staging.usage);
    });

    it("derives the names once, from the service and the stack", () => {
        const gcp = resolveStack({ ...rawConfig({ "runway:serviceName": "shop" }), stack: "production" });
        expect(gcp.cloud).to.equal("gcp");
        if (gcp.cloud !== "gcp") return;
        expect(gcp.names).to.include({
            base: "shop-production",
            service: "shop-production",
            releaseRole: "shop_production",
            nodeAccount: "shop-production-nodes",
        });
        expect(
            resolveStack({ ...rawConfig({ "runway:serviceName": "shop", "runway:stackInNames": "false" }), stack: "p" }).names,
        ).to.deep.include({
            service: "shop",
        });
        const aws = resolveStack({
            ...rawConfig({ ...AWS_PRODUCTION, "runway:serviceName": "shop" }),
            stack: "prod",
            pulumiProject: "acme",
        });
        expect(aws.names).to.include({ service: "shop-prod", repository: "shop-prod", secretsPath: "/acme/prod" });
        const local = resolveStack({
            ...rawConfig({
                "runway:cloud": "local",
                "gcp:project": undefined,
                "gcp:region": undefined,
                "runway:billingAccount": undefined,
                "runway:alertEmails": undefined,
                "runway:tier": undefined,
            }),
            stack: "dev",
            pulumiProject: "Acme",
        });
        expect(local.names).to.deep.equal({ engine: "acme-app-dev" });
    });

    it("carries the tier's AWS preset and cluster settings, so no composition reads the tier table", () => {
        const s = resolveStack(rawConfig(AWS_PRODUCTION));
        expect(s.cloud).to.equal("aws");
        if (s.cloud !== "aws") return;
        const preset = TIER_PROFILES.production.aws;
        expect(s.aws).to.include({ azCount: preset.azCount, nat: preset.nat, waf: preset.waf, logRetentionDays: preset.logRetentionDays });
        expect(s.aws).to.include({
            immutableTags: preset.immutableTags,
            secretsManager: preset.secretsManager,
            secretRecoveryDays: preset.secretRecoveryDays,
        });
        expect(s.aws.database.finalSnapshot).to.equal(TIER_PROFILES.production.data.finalSnapshot);
        expect(s.kubernetes).to.deep.equal(TIER_PROFILES.production.kubernetes);
    });

    it("decides the delivery: deploy branch, the one deploy source, and the preview environment only with reviewers", () => {
        const staging = resolveStack({
            ...rawConfig({
                ...GITHUB,
                "runway:tier": "staging",
                "runway:iapMembers": '["user:a@example.com"]',
                "runway:stagingBranch": "next",
            }),
            stack: "stg",
        });
        expect(staging.github?.delivery.deployBranch).to.equal("next");
        expect(staging.github?.deploySource).to.deep.include({ name: "staging" });
        expect(staging.github?.previewEnvironment).to.equal(undefined);
        const reviewed = resolveStack({ ...rawConfig({ ...GITHUB, "runway:githubReviewers": '["ana"]' }), stack: "solo" });
        expect(reviewed.github?.previewEnvironment).to.equal("runway-preview-solo");
        expect(reviewed.github?.deploySource).to.deep.equal({
            name: "solo",
            branch: "main",
            workflow: ".github/workflows/deploy-solo.yml",
        });
    });
});
