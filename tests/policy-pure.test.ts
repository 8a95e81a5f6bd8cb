import { expect } from "chai";
import { matchesPattern, stackOfUrn } from "../policy/lib/names";
import { coversBranch, protectionOf } from "../policy/policies/blockingScans";
import { budgetProblems } from "../policy/policies/budgetPresence";
import { federatedBindingProblems, githubTrustProblems, wifProviderProblems } from "../policy/policies/ciTrustScoped";
import { grantedRoles } from "../policy/policies/noPrimitiveRoles";
import { looksLikeSecret } from "../rules/secretLike";

describe("policy helpers", () => {
    it("matches name patterns with * only", () => {
        expect(matchesPattern("us-docker.pkg.dev/cloudrun/container/hello:latest", "us-docker.pkg.dev/cloudrun/container/*")).to.equal(
            true,
        );
        expect(matchesPattern("docker.io/library/nginx", "us-docker.pkg.dev/*")).to.equal(false);
        expect(matchesPattern("prod-eu", "prod-*")).to.equal(true);
        expect(matchesPattern("prod.x", "prod?x")).to.equal(false);
    });

    it("reads the stack from a URN", () => {
        expect(stackOfUrn("urn:pulumi:production::runway::gcp:sql/databaseInstance:DatabaseInstance::db")).to.equal("production");
    });

    it("reads branch protections of all three kinds", () => {
        expect(
            protectionOf("github:index/branchProtection:BranchProtection", {
                pattern: "main",
                requiredStatusChecks: [{ strict: true, contexts: ["test", "Security"] }],
            }),
        ).to.deep.equal({ branches: ["main"], checks: ["test", "Security"] });
        expect(
            protectionOf("github:index/repositoryRuleset:RepositoryRuleset", {
                target: "branch",
                conditions: { refName: { includes: ["~DEFAULT_BRANCH"] } },
                rules: { requiredStatusChecks: { requiredChecks: [{ context: "Security" }] } },
            }),
        ).to.deep.equal({ branches: ["~DEFAULT_BRANCH"], checks: ["Security"] });
        expect(coversBranch("~DEFAULT_BRANCH", "main") && coversBranch("refs/heads/main", "main") && coversBranch("ma*", "main")).to.equal(
            true,
        );
        expect(coversBranch("release/*", "main")).to.equal(false);
    });

    it("checks budgets of both clouds", () => {
        expect(
            budgetProblems("gcp:billing/budget:Budget", {
                amount: { specifiedAmount: { units: "20" } },
                thresholdRules: [{ thresholdPercent: 0.5 }],
            }),
        ).to.deep.equal([]);
        expect(
            budgetProblems("gcp:billing/budget:Budget", {
                amount: { specifiedAmount: { units: "0" } },
                thresholdRules: [],
                allUpdatesRule: { disableDefaultIamRecipients: true },
            }),
        ).to.have.length(3);
        expect(
            budgetProblems("aws:budgets/budget:Budget", {
                limitAmount: "20",
                notifications: [{ threshold: 90, subscriberEmailAddresses: ["a@b.co"] }],
            }),
        ).to.deep.equal([]);
        expect(budgetProblems("aws:budgets/budget:Budget", { limitAmount: "20", notifications: [{ threshold: 90 }] })).to.deep.equal([
            "no notification has a subscriber email or SNS topic",
        ]);
    });

    it("reads granted roles from members, bindings, policies and AWS attachments", () => {
        expect(grantedRoles({ role: "roles/run.invoker" })).to.deep.equal(["roles/run.invoker"]);
        expect(
            grantedRoles({ policyData: JSON.stringify({ bindings: [{ role: "roles/owner", members: ["user:a@b.co"] }] }) }),
        ).to.deep.equal(["roles/owner"]);
        expect(grantedRoles({ policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })).to.deep.equal([
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ]);
    });

    it("requires CI trust to pin one repository by its immutable ID, and an AWS role to say which of its jobs", () => {
        expect(
            wifProviderProblems({ attributeCondition: "assertion.repository_owner_id == '17' && assertion.repository_id == '4242'" }),
        ).to.deep.equal([]);
        expect(wifProviderProblems({ attributeCondition: "assertion.repository_id == '4242'" }, ["4242"])).to.deep.equal([]);
        expect(wifProviderProblems({ attributeCondition: "assertion.repository_id == '4242'" }, ["99"])[0]).to.match(
            /4242, which is not in allowedRepositories/,
        );
        expect(wifProviderProblems({})[0]).to.match(/no attributeCondition/);
        expect(wifProviderProblems({ attributeCondition: "assertion.repository == 'acme/shop'" })[0]).to.match(
            /keys the trust on a repository name, which someone else can take/,
        );
        expect(wifProviderProblems({ attributeCondition: "assertion.actor == 'ana'" })[0]).to.match(/does not pin a repository/);
        const HOST = "token.actions.githubusercontent.com";
        const trust = (equals: Record<string, unknown>, like: Record<string, unknown> = {}) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${HOST}` },
                        Condition: {
                            StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com", ...equals },
                            ...(Object.keys(like).length ? { StringLike: like } : {}),
                        },
                    },
                ],
            });
        expect(githubTrustProblems(trust({ [`${HOST}:repository_id`]: "4242", [`${HOST}:environment`]: "production" }))).to.deep.equal([]);
        expect(githubTrustProblems(trust({ [`${HOST}:sub`]: "repo:acme/shop:ref:refs/heads/main" }))[0]).to.match(
            /does not pin token.actions.githubusercontent.com:repository_id with StringEquals: its sub condition is a repository name/,
        );
        expect(githubTrustProblems(trust({ [`${HOST}:repository_id`]: "4242" }))).to.deep.equal([
            "trusts every job of the repository, pull requests included: also require its environment or job_workflow_ref",
        ]);
        expect(githubTrustProblems(trust({ [`${HOST}:repository_id`]: "*", [`${HOST}:environment`]: "production" }))[0]).to.match(
            /does not pin/,
        );
        expect(
            githubTrustProblems(
                trust({ [`${HOST}:repository_id`]: "4242", [`${HOST}:aud`]: "sigstore", [`${HOST}:ref`]: "refs/heads/main" }),
            )[0],
        ).to.match(/aud = sts.amazonaws.com/);
        expect(
            githubTrustProblems(JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" } }] })),
        ).to.deep.equal([]);
    });

    it("refuses a service account binding for a whole pool or a name-keyed attribute; passes Runway's environment and workflow sets", () => {
        const pool = "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p";
        const binding = (member: string, role = "roles/iam.workloadIdentityUser") => federatedBindingProblems({ role, member });
        expect(binding(`${pool}/attribute.runway_trust/environment:production`)).to.deep.equal([]);
        expect(binding(`${pool}/*`)[0]).to.match(/every principal of the pool/);
        expect(binding(`${pool}/attribute.repository/acme/shop`)[0]).to.match(/repository name/);
        expect(binding(`${pool}/attribute.repository_owner/acme`, "roles/iam.serviceAccountTokenCreator")[0]).to.match(/repository name/);
        expect(binding(`${pool}/*`, "roles/iam.serviceAccountUser"), "not an impersonation role").to.deep.equal([]);
    });

    it("spots secrets by name and by value", () => {
        expect(looksLikeSecret("DB_PASSWORD", "hunter2")).to.equal(true);
        expect(looksLikeSecret("DATABASE_URL", "postgres://app:s3cret@db:5432/app")).to.equal(true);
        expect(looksLikeSecret("AWS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")).to.equal(true);
        expect(looksLikeSecret("LOG_LEVEL", "info")).to.equal(false);
        expect(looksLikeSecret("DATABASE_URL", "postgres://db:5432/app")).to.equal(false);
        expect(looksLikeSecret("API_TOKEN", "")).to.equal(false);
    });
});
