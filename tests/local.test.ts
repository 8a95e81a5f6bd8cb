import { expect } from "chai";
import { RunwayInputError } from "../rules/problems";
import {
    POSTGRES_IMAGE,
    PINNED_IMAGES,
    REDIS_IMAGE,
    SECRET_ENV_LABEL,
    buildHash,
    engineName,
    envList,
    isPinnedByDigest,
    loopbackPort,
    postgresUrl,
    redisConfig,
    redisUrl,
} from "../components/local";
import { resolveStack } from "../stacks/config";
import { keysNotFor } from "../stacks/keys";
import { budgetPresence, noPlaintextSecrets, nonRootImages } from "../policy/policies";
import { ResourceRecord } from "../plan";
import { checkPolicy, messages } from "./helpers/policyRun";
import { ROOT, cli, planStack } from "./helpers/plans";

const CONTAINER = "docker:index/container:Container";
const byType = (rs: ResourceRecord[], type: string) => rs.filter((r) => r.type === type);
const named = (rs: ResourceRecord[], name: string) => rs.find((r) => r.name === name)!;

describe("local target: pure decisions", () => {
    it("publishes ports on 127.0.0.1 only", () => {
        expect(loopbackPort(8080)).to.deep.equal({ internal: 8080, external: 8080, ip: "127.0.0.1", protocol: "tcp" });
    });

    it("pins every image by the digest of its official multi-platform index, with a source", () => {
        for (const image of PINNED_IMAGES) {
            expect(isPinnedByDigest(image.ref), image.ref).to.equal(true);
            expect(image.source).to.match(/^https:\/\/github\.com\/docker-library\/repo-info\/blob\/[0-9a-f]{40}\//);
            expect(image.user).to.match(/^[1-9]\d*:[1-9]\d*$/);
        }
        expect(POSTGRES_IMAGE.ref).to.match(/^postgres:16-alpine@/);
        expect(REDIS_IMAGE.ref).to.match(/^redis:7\.2-alpine@/);
        expect(isPinnedByDigest("postgres:16-alpine")).to.equal(false);
    });

    it("names Docker objects per project, service and stack, in Docker's alphabet", () => {
        expect(engineName("Runway", "app", "my_stack", "pgdata")).to.equal("runway-app-my_stack-pgdata");
        expect(engineName("a b/c")).to.equal("a-b-c");
    });

    it("builds connection URLs with the password escaped and a Redis config that persists to /data", () => {
        expect(postgresUrl("app", "p@ss/w", "db", 5432, "app")).to.equal("postgresql://app:p%40ss%2Fw@db:5432/app?sslmode=disable");
        expect(redisUrl("pw", "cache", 6379)).to.equal("redis://:pw@cache:6379");
        expect(redisConfig("pw").split("\n")).to.include.members(["requirepass pw", "appendonly yes", "dir /data"]);
        expect(envList({ B: "2", A: "1" })).to.deep.equal(["A=1", "B=2"]);
    });

    it("tags the app image with a hash of its sources: same input, same tag; another Dockerfile or target, another tag", () => {
        const a = buildHash(`${ROOT}/app`, `${ROOT}/app/Dockerfile`);
        expect(buildHash(`${ROOT}/app`, `${ROOT}/app/Dockerfile`)).to.equal(a);
        expect(buildHash(`${ROOT}/app`, `${ROOT}/app/Dockerfile`, "runtime")).to.not.equal(a);
        expect(buildHash(`${ROOT}/app`, `${ROOT}/tests/fixtures/dockerfiles/Dockerfile.good`)).to.not.equal(a);
        expect(a).to.match(/^[0-9a-f]{12}$/);
    });
});

describe("local target: config", () => {
    const base = { "runway:cloud": "local" };
    const parse = (values: Record<string, string>) =>
        resolveStack({ values: { ...base, ...values }, secretKeys: new Set(), stack: "dev", pulumiProject: "runway" });

    it("needs no project, region, billing account or budget", () => {
        const cfg = parse({ "runway:database": "managed", "runway:cache": "managed" });
        expect(cfg.cloud).to.equal("local");
        expect(cfg.database).to.equal("managed");
        expect(cfg.cache).to.equal("managed");
    });

    it("refuses, all at once, every key that would do nothing locally, naming key and value", () => {
        let err: unknown;
        try {
            parse({
                "runway:tier": "production",
                "runway:minInstances": "2",
                "runway:budgetAmount": "5",
                "runway:githubRepository": "a/b",
                "gcp:project": "ignored-project",
            });
        } catch (e) {
            err = e;
        }
        expect(RunwayInputError.isInstance(err)).to.equal(true);
        const keys = (err as RunwayInputError).problems.map((p) => `${p.key}=${JSON.stringify(p.value)}`);
        expect(keys).to.include.members([
            'runway:tier="production"',
            'runway:minInstances="2"',
            'runway:budgetAmount="5"',
            'runway:githubRepository="a/b"',
        ]);
        expect((err as RunwayInputError).problems[0].allowed).to.equal("unset on local (runway:tier applies to gcp and aws only)");
    });

    it("accepts keys left at the default Pulumi fills in, and never echoes a secret key's value", () => {
        expect(
            keysNotFor("local", {
                "runway:tier": "solo",
                "runway:budgetCurrency": "USD",
                "runway:defaultBranch": "main",
                "runway:databaseDiskGb": "10",
                "runway:alertEmails": "[]",
            }),
        ).to.deep.equal([]);
        expect(keysNotFor("local", { "runway:pagerDutyServiceKey": "pd-sentinel" })[0].shown).to.equal("(hidden)");
    });
});

describe("local target: the local stack through the offline plan", function () {
    this.timeout(60000);

    it("npm run plan -- --stack local exits 0 and shows the app, Postgres and Redis", async () => {
        const run = await cli("--stack", "local");
        expect(run.code, run.stderr).to.equal(0);
        for (const name of ["app-container", "database-container", "cache-container", "network"]) expect(run.stdout).to.include(name);
        expect(run.stdout).to.match(/0 mandatory violations/);
    });

    it("creates only Docker and random resources: no cloud account needed, nothing priced", async () => {
        const { document } = await planStack("local");
        const packages = new Set(document.resources.filter((r) => r.custom).map((r) => r.type.split(":")[0]));
        expect([...packages].sort()).to.deep.equal(["docker", "random"]);
        expect(document.cost.usageMonthly).to.equal(0);
        expect(document.cost.unpriced).to.deep.equal([]);
    });

    it("binds every published port to 127.0.0.1", async () => {
        const { document } = await planStack("local");
        const ports = byType(document.resources, CONTAINER).flatMap((c) => (c.inputs.ports as any[]) ?? []);
        expect(ports.map((p) => `${p.ip}:${p.external}->${p.internal}`).sort()).to.deep.equal([
            "127.0.0.1:5432->5432",
            "127.0.0.1:6379->6379",
            "127.0.0.1:8080->8080",
        ]);
        expect(byType(document.resources, CONTAINER).some((c) => c.inputs.publishAllPorts === true)).to.equal(false);
    });

    it("runs images pinned by digest or built in the stack from app/'s Dockerfile; data services as their non-root users", async () => {
        const { document } = await planStack("local");
        expect(
            byType(document.resources, "docker:index/remoteImage:RemoteImage")
                .map((r) => r.inputs.name)
                .sort(),
        ).to.deep.equal([POSTGRES_IMAGE.ref, REDIS_IMAGE.ref]);
        const [build] = byType(document.resources, "docker:index/image:Image");
        expect(build.inputs.build).to.include({ context: "app", dockerfile: "app/Dockerfile" });
        expect(build.inputs.skipPush).to.equal(true);
        expect(named(document.resources, "database-container").inputs.user).to.equal(POSTGRES_IMAGE.user);
        expect(named(document.resources, "cache-container").inputs.user).to.equal(REDIS_IMAGE.user);
        expect(named(document.resources, "app-container").propertyDependencies.image).to.deep.equal([build.urn]);
    });

    it("keeps data in named volumes that outlive containers and destroy; every container has a health check", async () => {
        const { document } = await planStack("local");
        const volumes = byType(document.resources, "docker:index/volume:Volume");
        expect(volumes.map((v) => v.inputs.name).sort()).to.deep.equal(["runway-app-local-pgdata", "runway-app-local-redisdata"]);
        expect(volumes.every((v) => v.retainOnDelete)).to.equal(true);
        expect((named(document.resources, "database-container").inputs.volumes as any[])[0]).to.include({
            containerPath: "/var/lib/postgresql/data",
        });
        for (const c of byType(document.resources, CONTAINER))
            expect((c.inputs.healthcheck as any)?.tests?.length, c.name).to.be.greaterThan(0);
    });

    it("wires DATABASE_URL and REDIS_URL like the cloud tiers, secret in state; passwords reach the data services as files", async () => {
        const { document } = await planStack("local");
        const app = named(document.resources, "app-container");
        expect(app.secretInputs).to.include("envs");
        expect((app.inputs.labels as any[]).find((l) => l.label === SECRET_ENV_LABEL).value).to.equal("DATABASE_URL,REDIS_URL");
        const db = named(document.resources, "database-container");
        expect(db.inputs.envs).to.include("POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password");
        expect((db.inputs.envs as string[]).some((e) => e.startsWith("POSTGRES_PASSWORD="))).to.equal(false);
        expect(db.secretInputs.some((p) => p.startsWith("uploads"))).to.equal(true);
        expect(named(document.resources, "cache-container").secretInputs.some((p) => p.startsWith("uploads"))).to.equal(true);
    });

    it("a new app image replaces only the app: volumes and data containers are unchanged", async () => {
        const before = (await planStack("local")).document.resources;
        const after = (await planStack("local", { "runway:buildTarget": "runtime" })).document.resources;
        expect(named(after, "app-build").inputs.imageName).to.not.equal(named(before, "app-build").inputs.imageName);
        for (const name of ["database-data", "cache-data", "database-container", "cache-container", "network"]) {
            expect(named(after, name).inputs, name).to.deep.equal(named(before, name).inputs);
        }
    });

    it("without managed data: the app alone, with no DATABASE_URL", async () => {
        const { document } = await planStack("local", { "runway:database": "none", "runway:cache": "none" });
        expect(byType(document.resources, CONTAINER).map((c) => c.name)).to.deep.equal(["app-container"]);
        expect(byType(document.resources, "docker:index/volume:Volume")).to.have.length(0);
    });
});

describe("local target: policies on Docker containers", () => {
    const container = (props: Record<string, unknown>) => ({ type: CONTAINER, name: "c", props: { image: POSTGRES_IMAGE.ref, ...props } });

    it("non-root: a numeric non-root user passes; root or no user with an untrusted image fails", async () => {
        expect(messages(await checkPolicy(nonRootImages, [container({ user: "70:70" })]))).to.deep.equal([]);
        expect(messages(await checkPolicy(nonRootImages, [container({ user: "0" })])).join("\n")).to.match(/runs as "0", which is root/);
        expect(messages(await checkPolicy(nonRootImages, [container({})])).join("\n")).to.match(
            /neither built in this stack nor on the trusted image list/,
        );
    });

    it("no plaintext secrets: a credential in env fails unless the stack declares it wired from its secrets", async () => {
        const env = { envs: ["LOG_LEVEL=info", "DATABASE_URL=postgresql://app:hunter2@db:5432/app"] };
        expect(messages(await checkPolicy(noPlaintextSecrets, [container(env)])).join("\n")).to.match(
            /sets DATABASE_URL as a plain value at envs\[1\]/,
        );
        expect(
            messages(
                await checkPolicy(noPlaintextSecrets, [
                    container({ ...env, labels: [{ label: SECRET_ENV_LABEL, value: "DATABASE_URL" }] }),
                ]),
            ),
        ).to.deep.equal([]);
    });

    it("budget presence does not apply to a stack no cloud bills, and still applies to one with a cloud resource", async () => {
        const docker = await checkPolicy(budgetPresence, [container({ user: "70:70" })]);
        expect(docker.violations).to.deep.equal([]);
        expect(docker.notApplicable.map((n) => n.reason).join()).to.match(/no resource in the stack is billed by a cloud/);
        const gcp = await checkPolicy(budgetPresence, [{ type: "gcp:storage/bucket:Bucket", name: "b", props: {} }]);
        expect(gcp.violations).to.have.length(1);
    });
});
