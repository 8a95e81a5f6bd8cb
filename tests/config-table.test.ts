/**
 * Issue #19: every config mistake a user can type is refused clearly (key, what is allowed, no
 * secret printed), and valid configs still plan. One table per class of mistake, several values
 * each, both clouds where the class applies.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunwayInputError } from "../rules/problems";
import { OFFLINE_SECRET_PLACEHOLDER } from "../rules/secretLike";
import { executionEnvironmentFor } from "../rules/gcp/limits";
import { base64Length, loadProjectConfig, PlanConfigError, secureShapeProblem } from "../plan/engine/project";
import { resolveStack, plainEntries } from "../stacks/config";
import { CONFIG_KEYS } from "../stacks/keys";
import { cli, planStack } from "./helpers/plans";
import { rawConfig } from "./helpers/raw";

type Values = Record<string, string | undefined>;
const AWS: Values = {
    "runway:cloud": "aws",
    "aws:region": "us-east-1",
    "gcp:project": undefined,
    "gcp:region": undefined,
    "runway:billingAccount": undefined,
    "runway:image": undefined,
};
const CLOUDS: [string, Values][] = [
    ["gcp", {}],
    ["aws", AWS],
];

/** The message of the one RunwayInputError resolveStack throws (fails when it accepts the config). */
function refusal(values: Values, secretKeys: string[] = []): string {
    try {
        resolveStack(rawConfig(values, secretKeys));
    } catch (err) {
        expect(RunwayInputError.isInstance(err), String(err)).to.equal(true);
        return (err as Error).message;
    }
    throw new Error(`expected a refusal of ${JSON.stringify(values)}`);
}

/** Lines of a refusal that name `key` (a problem is one line: `  - key = value: allowed`). */
function linesFor(message: string, key: string): string[] {
    return message.split("\n").filter((l) => l.startsWith(`  - ${key} = `));
}

/** Secret-looking values a user might paste: none may ever be printed back. */
const SECRET_VALUES = [
    "sk_live_51HxQ2eZvKYlo2C0",
    "postgres://app:hunter2@db.example.com/app",
    "ghp_abcdefghijklmnopqrstuvwxyz0123",
    "AKIAABCDEFGHIJKLMNOP",
];

describe("config refusals (issue #19)", () => {
    describe("1. an empty value is an error unless the key documents empty", () => {
        const noEmpty = [
            "runway:tier",
            "runway:cloud",
            "runway:serviceName",
            "runway:defaultBranch",
            "runway:stagingBranch",
            "runway:healthPath",
            "runway:database",
            "runway:budgetCurrency",
            "runway:secrets",
            "runway:usage",
        ];
        for (const [cloud, base] of CLOUDS) {
            for (const key of noEmpty) {
                // A key that does not apply to the cloud is not read there (it is refused only when set to a value).
                if (CONFIG_KEYS.some((k) => `runway:${k.name}` === key && !(k.clouds as readonly string[]).includes(cloud))) continue;
                for (const empty of ["", "  "]) {
                    it(`${cloud}: ${key}=${JSON.stringify(empty)} is refused, not replaced by the default`, () => {
                        const lines = linesFor(
                            refusal({
                                ...base,
                                "runway:tier": "production",
                                "runway:githubReviewers": JSON.stringify(["ana"]),
                                [key]: empty,
                            }),
                            key,
                        );
                        expect(lines, key).to.have.length(1);
                        expect(lines[0]).to.include("an empty value is not allowed").and.include(`pulumi config rm ${key}`);
                    });
                }
            }
        }
        for (const [key, base] of [
            ["gcp:project", {}],
            ["gcp:region", {}],
            ["aws:region", AWS],
        ] as [string, Values][]) {
            it(`${key}= is refused once, naming the key`, () => {
                const lines = linesFor(refusal({ ...base, [key]: "" }), key);
                expect(lines).to.have.length(1);
                expect(lines[0]).to.include("an empty value is not allowed");
            });
        }
        it("names the default the user gets by removing the key", () => {
            expect(linesFor(refusal({ "runway:tier": "" }), "runway:tier")[0]).to.include('to use the default "solo"');
            expect(linesFor(refusal({ "runway:defaultBranch": "" }), "runway:defaultBranch")[0]).to.include('to use the default "main"');
        });
        it("every key declared with an empty default says what empty means", () => {
            for (const key of CONFIG_KEYS.filter((k) => k.default === "")) expect(key.description, key.name).to.match(/empty/i);
        });
        for (const [cloud, base] of CLOUDS) {
            it(`${cloud}: documented empties still plan (tier presets, image, dockerfile, githubRepository, pagerDutyServiceKey)`, () => {
                const s = resolveStack(
                    rawConfig({
                        ...base,
                        "runway:tier": "production",
                        "runway:domain": "app.example.com",
                        "runway:minInstances": "",
                        "runway:cpu": "",
                        "runway:budgetAmount": "",
                        "runway:image": "",
                        "runway:dockerfile": "",
                        "runway:githubRepository": "",
                        "runway:githubOwnerId": "",
                        "runway:githubRepositoryId": "",
                        "runway:pagerDutyServiceKey": "",
                        "runway:databaseUrl": "",
                    }),
                );
                expect(s.settings).to.include({ minInstances: 1, budgetAmount: 500 });
                expect(s.service.build?.dockerfile).to.equal("app/Dockerfile");
                expect(s.github).to.equal(undefined);
            });
        }
    });

    describe("2. every entry of runway:secrets must be a secure value", () => {
        const mixed: [string, Record<string, string>, string[]][] = [
            [
                "one plain beside one secure",
                { STRIPE_API_KEY: OFFLINE_SECRET_PLACEHOLDER, SENTRY_DSN: "https://abc@o1.ingest.sentry.io/2" },
                ["SENTRY_DSN"],
            ],
            [
                "two plain beside one secure",
                { A_TOKEN: OFFLINE_SECRET_PLACEHOLDER, B_KEY: SECRET_VALUES[0], C_URL: SECRET_VALUES[1] },
                ["B_KEY", "C_URL"],
            ],
            ["plain that looks harmless", { X_SECRET: OFFLINE_SECRET_PLACEHOLDER, FEATURE: "flag-value-7731" }, ["FEATURE"]],
        ];
        for (const [cloud, base] of CLOUDS) {
            for (const [label, map, plain] of mixed) {
                it(`${cloud}: ${label} is reported by path, value hidden`, () => {
                    const message = refusal({ ...base, "runway:secrets": JSON.stringify(map) }, ["runway:secrets"]);
                    for (const name of Object.keys(map)) {
                        const lines = linesFor(message, `runway:secrets.${name}`);
                        expect(lines, name).to.have.length(plain.includes(name) ? 1 : 0);
                        if (plain.includes(name)) expect(lines[0]).to.include('"(plain text, hidden)": a value set with --secret');
                    }
                    for (const value of Object.values(map)) expect(message).not.to.include(value);
                });
            }
            it(`${cloud}: a map with no secure entry at all reports each entry`, () => {
                const message = refusal({ ...base, "runway:secrets": JSON.stringify({ A_KEY: "a", B_KEY: "b" }) });
                expect(linesFor(message, "runway:secrets.A_KEY")).to.have.length(1);
                expect(linesFor(message, "runway:secrets.B_KEY")).to.have.length(1);
            });
            it(`${cloud}: a map of only secure entries (or decrypted by pulumi up) is accepted`, () => {
                const offline = resolveStack(
                    rawConfig(
                        {
                            ...base,
                            "runway:secrets": JSON.stringify({ A_KEY: OFFLINE_SECRET_PLACEHOLDER, B_KEY: OFFLINE_SECRET_PLACEHOLDER }),
                        },
                        ["runway:secrets"],
                    ),
                );
                expect(Object.keys(offline.secretValues)).to.deep.equal(["A_KEY", "B_KEY"]);
                const live = resolveStack(
                    rawConfig({ ...base, "runway:secrets": JSON.stringify({ A_KEY: "real-a" }) }, ["runway:secrets"]),
                );
                expect(live.secretValues).to.deep.equal({ A_KEY: "real-a" });
            });
        }
        it("plainEntries: flagged maps are plain only where a leaf shows through the placeholder", () => {
            expect(plainEntries({ A: OFFLINE_SECRET_PLACEHOLDER, B: "b" }, true)).to.deep.equal(["B"]);
            expect(plainEntries({ A: "a", B: "b" }, true)).to.deep.equal([]);
            expect(plainEntries({ A: "a" }, false)).to.deep.equal(["A"]);
        });
    });

    describe("3. secure: values that are not ciphertext are refused like the CLI refuses them", () => {
        let dir: string;
        const passphraseSalt = "v1:tgGobgolaBg=:v1:vf9klvX5aAUsyPuY:XdmVNnau/gHoAJL0JFrYwLLamixcmQ==";
        const goodV1 = "v1:uH8YoLL3H6rs0nYy:2RW1fE3PTHTKKQFUT6/szHAkLiaj21HGiA==";
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-secure-"));
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\n");
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));
        function load(stackFile: string): string | undefined {
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackFile);
            try {
                loadProjectConfig(dir, "dev");
                return undefined;
            } catch (err) {
                expect(err).to.be.instanceOf(PlanConfigError);
                return (err as Error).message;
            }
        }
        const bad: [string, string, string][] = [
            ["a number", "secure: 12345", "holds a number"],
            ["an empty string", 'secure: ""', "is empty"],
            ["a list", "secure: [a, b]", "holds a list"],
            ["a URL with a password", `secure: "${SECRET_VALUES[1]}"`, "is not ciphertext of the passphrase secrets provider"],
            ["a v1 prefix without nonce", "secure: v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "is not ciphertext"],
            ["a v1 value with a short nonce", "secure: v1:AAAA:AAAAAAAAAAAAAAAAAAAAAA==", "is not ciphertext"],
        ];
        for (const [label, yaml, reason] of bad) {
            it(`passphrase stack: ${label} is refused by path, never echoed`, () => {
                const message = load(
                    `encryptionsalt: ${passphraseSalt}\nconfig:\n  demo:db:\n    ${yaml}\n  demo:map:\n    ok:\n      secure: ${goodV1}\n    bad:\n      ${yaml}\n`,
                );
                expect(message).to.include("demo:db: the secure value").and.include(reason).and.include("demo:map.bad: the secure value");
                expect(message)
                    .to.include('a plain value was committed under "secure:"')
                    .and.include("pulumi config set --secret --path 'demo:map.bad'");
                expect(message).not.to.include("hunter2");
                expect(message).not.to.include("demo:map.ok");
            });
        }
        it("passphrase stack: real v1 ciphertext is accepted and becomes the placeholder", () => {
            expect(load(`encryptionsalt: ${passphraseSalt}\nconfig:\n  demo:db:\n    secure: ${goodV1}\n`)).to.equal(undefined);
        });
        it("Pulumi Cloud stack (no salt, no provider): base64 accepted, v1 text and plain text refused", () => {
            expect(load("config:\n  demo:db:\n    secure: AAABAJh3fQ6wQ0dM2D8yH5m0wXo=\n")).to.equal(undefined);
            expect(load(`config:\n  demo:db:\n    secure: ${goodV1}\n`)).to.include(
                "is not ciphertext of the Pulumi Cloud secrets provider",
            );
            expect(load("config:\n  demo:db:\n    secure: hunter2\n")).to.include("demo:db").and.not.include("hunter2");
        });
        it("cloud KMS stack: v1 ciphertext needs the encrypted data key", () => {
            expect(
                load(
                    `secretsprovider: gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k\nencryptedkey: CiQAabc=\nconfig:\n  demo:db:\n    secure: ${goodV1}\n`,
                ),
            ).to.equal(undefined);
            expect(load(`secretsprovider: awskms://alias/pulumi\nconfig:\n  demo:db:\n    secure: ${goodV1}\n`)).to.include(
                "encryptedkey is missing",
            );
        });
        it("reports every bad secure value at once", () => {
            const message = load(`encryptionsalt: ${passphraseSalt}\nconfig:\n  demo:a:\n    secure: 1\n  demo:b:\n    - secure: ""\n`)!;
            expect(message).to.include("2 secure values").and.include("demo:a:").and.include("demo:b[0]:");
        });
        it("secureShapeProblem / base64Length follow Go's StdEncoding", () => {
            expect(base64Length("AAAA")).to.equal(3);
            expect(base64Length("AA==")).to.equal(1);
            expect(base64Length("AAA")).to.equal(undefined);
            expect(base64Length("AA\nAA")).to.equal(3);
            expect(secureShapeProblem(goodV1, "cloud")).to.equal(undefined);
            expect(secureShapeProblem("v1:uH8YoLL3H6rs0nYy:AAAA", "passphrase")).to.include("not ciphertext");
        });

        describe("7. a stack file whose config is not a map says what is wrong with the file", () => {
            const shapes: [string, string, RegExp][] = [
                ["a list of key: value", "config:\n  - demo:tier: production\n", /"config" is a list; it must be a map of key: value/],
                ["a list of strings", "config:\n  - demo:tier=production\n", /"config" is a list/],
                ["a string", "config: demo:tier=production\n", /"config" is a string/],
                ["a number", "config: 3\n", /"config" is a number/],
                ["a whole file that is a list", "- config:\n    demo:tier: production\n", /the file is a list; a stack file is a map/],
            ];
            for (const [label, yaml, expected] of shapes) {
                it(`${label}`, () => {
                    const message = load(yaml)!;
                    expect(message).to.match(expected).and.include("Pulumi.dev.yaml");
                    expect(message).not.to.include("demo:0");
                });
            }
            it("a key that is not <namespace>:<name> is refused like the CLI's ParseKey", () => {
                expect(load("config:\n  demo:a:b: x\n")).to.include('config key "demo:a:b": not a configuration key');
                expect(load("config:\n  demo:config:tier: x\n")).to.equal(undefined);
                expect(() => loadProjectConfig(dir, "dev", { ":tier": "x" })).to.throw(
                    PlanConfigError,
                    /--config ":tier": not a configuration key/,
                );
            });
            it("an empty config: is no config", () => {
                expect(load("config:\n")).to.equal(undefined);
            });
        });
    });

    describe("4. no message prints a secret value", () => {
        for (const [cloud, base] of CLOUDS) {
            for (const value of SECRET_VALUES) {
                const cases: [string, Values][] = [
                    ["runway:secrets.STRIPE_API_KEY (a map entry given as a flat key)", { "runway:secrets.STRIPE_API_KEY": value }],
                    ["an unknown key", { "runway:apiToken": value }],
                    ["databaseUrl in plain text", { "runway:database": "external", "runway:databaseUrl": value }],
                    ["pagerDutyServiceKey in plain text", { "runway:pagerDutyServiceKey": value }],
                    ["a secret key set as secret with a bad value", { "runway:tier": value }],
                    ["a plain env var", { "runway:env": JSON.stringify([`CONFIG=${value}`]) }],
                    ["a non-map runway:secrets", { "runway:secrets": value }],
                ];
                for (const [label, values] of cases) {
                    it(`${cloud}: ${label} = ${value.slice(0, 8)}… is refused without the value`, () => {
                        const secretKeys = label.includes("set as secret") ? ["runway:tier"] : [];
                        const message = refusal({ ...base, ...values }, secretKeys);
                        expect(message).not.to.include(value);
                        expect(message).not.to.include(value.slice(0, 12));
                    });
                }
            }
        }
        it("a flat runway:secrets.X key says how to set a map entry", () => {
            expect(linesFor(refusal({ "runway:secrets.STRIPE_API_KEY": SECRET_VALUES[0] }), "runway:secrets.STRIPE_API_KEY")[0]).to.include(
                "pulumi config set --secret --path 'runway:secrets.STRIPE_API_KEY' <value>",
            );
        });
        it("a plain, harmless value of an unknown key is still shown (it helps spot the typo)", () => {
            expect(refusal({ "runway:minInstance": "1" })).to.include('runway:minInstance = "1": not a Runway key');
        });
    });

    describe("5. Cloud Run CPU / memory / concurrency / billing combinations", () => {
        const refused: [string, Values, string[]][] = [
            [
                "production cpu 0.5 (CPU always allocated, concurrency 80)",
                { "runway:tier": "production", "runway:cpu": "0.5", "runway:memory": "512Mi" },
                ["runway:cpuIdle", "runway:concurrency"],
            ],
            [
                "cpu 0.5 with cpuIdle false and concurrency 1",
                { "runway:cpu": "0.5", "runway:cpuIdle": "false", "runway:concurrency": "1" },
                ["runway:cpuIdle"],
            ],
            [
                "cpu 0.25 with 1Gi (over 512Mi needs 0.5 vCPU)",
                { "runway:cpu": "0.25", "runway:memory": "1Gi", "runway:concurrency": "1" },
                ["runway:memory"],
            ],
            [
                "cpu 0.9 with 2Gi (over 1Gi needs 1 vCPU)",
                { "runway:cpu": "0.9", "runway:memory": "2Gi", "runway:concurrency": "1" },
                ["runway:memory"],
            ],
            ["cpu 0.07 (below 0.08)", { "runway:cpu": "0.07" }, ["runway:cpu"]],
            ["cpu 0.1234 (finer than 0.001)", { "runway:cpu": "0.1234" }, ["runway:cpu"]],
            ["cpu 3", { "runway:cpu": "3" }, ["runway:cpu"]],
            ["cpu 4 with 1Gi (4 vCPU need 2Gi)", { "runway:cpu": "4", "runway:memory": "1Gi" }, ["runway:memory"]],
            ["cpu 1 with 8Gi (over 4Gi needs 2 vCPU)", { "runway:cpu": "1", "runway:memory": "8Gi" }, ["runway:cpu"]],
            ["memory 64Mi", { "runway:memory": "64Mi" }, ["runway:memory"]],
            ["memory 40Gi", { "runway:cpu": "8", "runway:memory": "40Gi" }, ["runway:memory"]],
            ["concurrency 1001", { "runway:concurrency": "1001" }, ["runway:concurrency"]],
            ["min instances above max", { "runway:minInstances": "30", "runway:maxInstances": "10" }, ["runway:minInstances"]],
            ["timeout 3601 s", { "runway:timeoutSeconds": "3601" }, ["runway:timeoutSeconds"]],
        ];
        for (const [label, values, keys] of refused) {
            it(`refuses ${label}`, () => {
                const message = refusal(values);
                for (const key of keys) expect(linesFor(message, key), `${key} in\n${message}`).to.have.length.greaterThan(0);
            });
        }
        const valid: [string, Values, string][] = [
            [
                "cpu 0.5, 1Gi, request-based, concurrency 1",
                { "runway:cpu": "0.5", "runway:memory": "1Gi", "runway:concurrency": "1", "runway:cpuIdle": "true" },
                "EXECUTION_ENVIRONMENT_GEN1",
            ],
            [
                "cpu 0.08, 128Mi, concurrency 1",
                { "runway:cpu": "0.08", "runway:memory": "128Mi", "runway:concurrency": "1" },
                "EXECUTION_ENVIRONMENT_GEN1",
            ],
            ["cpu 0.125 (0.001 steps)", { "runway:cpu": "0.125", "runway:concurrency": "1" }, "EXECUTION_ENVIRONMENT_GEN1"],
            ["cpu 1, 256Mi (first generation below 512Mi)", { "runway:cpu": "1", "runway:memory": "256Mi" }, "EXECUTION_ENVIRONMENT_GEN1"],
            [
                "production cpu 1, 4Gi, always allocated",
                { "runway:tier": "production", "runway:domain": "app.example.com", "runway:cpu": "1", "runway:memory": "4Gi" },
                "EXECUTION_ENVIRONMENT_GEN2",
            ],
            [
                "cpu 8, 32Gi, concurrency 1000",
                { "runway:cpu": "8", "runway:memory": "32Gi", "runway:concurrency": "1000" },
                "EXECUTION_ENVIRONMENT_GEN2",
            ],
        ];
        for (const [label, values, environment] of valid) {
            it(`accepts ${label} (${environment})`, () => {
                const s = resolveStack(rawConfig(values)).settings;
                expect(executionEnvironmentFor(s.cpu, s.memory)).to.equal(environment);
            });
        }
        it("AWS ignores the Cloud Run shape for its own sizes (owned by the AWS flavour)", () => {
            expect(() => resolveStack(rawConfig({ ...AWS }))).not.to.throw();
        });
    });

    describe("6. offline, a secret value is opaque: never validated as the placeholder, never shown", () => {
        for (const [cloud, base] of CLOUDS) {
            it(`${cloud}: alertEmails items set with --secret are accepted`, () => {
                const s = resolveStack(
                    rawConfig({ ...base, "runway:alertEmails": JSON.stringify([OFFLINE_SECRET_PLACEHOLDER, "ops@example.com"]) }, [
                        "runway:alertEmails",
                    ]),
                );
                expect(s.alertEmails).to.have.length(2);
            });
            for (const key of ["runway:tier", "runway:cpu", "runway:minInstances", "runway:serviceName", "runway:database"]) {
                it(`${cloud}: ${key} set with --secret is refused (it decides what is planned) without printing the placeholder`, () => {
                    const message = refusal({ ...base, [key]: OFFLINE_SECRET_PLACEHOLDER }, [key]);
                    const lines = linesFor(message, key);
                    expect(lines).to.have.length(1);
                    expect(lines[0]).to.include('"(secret, hidden)"').and.include("set in plain text");
                    expect(message).not.to.include(OFFLINE_SECRET_PLACEHOLDER);
                });
            }
            it(`${cloud}: a secret set with --secret for pulumi up is validated but hidden`, () => {
                const message = refusal({ ...base, "runway:tier": "prod-secret-typo" }, ["runway:tier"]);
                expect(message)
                    .to.include('runway:tier = "(secret, hidden)": one of solo, staging, production')
                    .and.not.include("prod-secret-typo");
            });
        }
        it("gcp: a billing account set with --secret is not refused as the placeholder", () => {
            expect(
                resolveStack(rawConfig({ "runway:billingAccount": OFFLINE_SECRET_PLACEHOLDER }, ["runway:billingAccount"])).budget
                    .billingAccount,
            ).to.equal(OFFLINE_SECRET_PLACEHOLDER);
            expect(refusal({ "runway:billingAccount": "1234" }, ["runway:billingAccount"])).to.include(
                'runway:billingAccount = "(secret, hidden)": a billing account id',
            );
        });
    });

    describe("the offline plan end to end", function () {
        this.timeout(120000);
        it("plans valid overrides on both clouds (no false refusals)", async () => {
            const gcp = await planStack("production", {
                "runway:cpu": "0.5",
                "runway:memory": "1Gi",
                "runway:concurrency": "1",
                "runway:cpuIdle": "true",
                "runway:minInstances": "",
            });
            const service = gcp.document.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
            const template = service.inputs.template as {
                executionEnvironment: string;
                containers: { resources: { cpuIdle: boolean; limits: Record<string, string> } }[];
            };
            expect(template.executionEnvironment).to.equal("EXECUTION_ENVIRONMENT_GEN1");
            expect(template.containers[0].resources).to.deep.include({ cpuIdle: true, limits: { cpu: "0.5", memory: "1Gi" } });
            const aws = await planStack("production", {
                "runway:cloud": "aws",
                "aws:region": "us-east-1",
                "runway:budgetAmount": "",
                "runway:cpu": "",
            });
            expect(aws.document.resources.length).to.be.greaterThan(10);
        });
        it("npm run plan exits 2 with one line per problem, each naming its key, no trace, no secret", async () => {
            const { code, stdout, stderr } = await cli(
                "--stack",
                "production",
                "--config",
                "runway:tier=",
                "--config",
                `runway:secrets.STRIPE_API_KEY=${SECRET_VALUES[0]}`,
                "--config",
                "runway:cpu=0.5",
            );
            expect(code).to.equal(2);
            expect(stdout).to.equal("");
            for (const key of ["runway:tier", "runway:secrets.STRIPE_API_KEY", "runway:concurrency"]) {
                expect(linesFor(stderr, key), key).to.have.length(1);
            }
            expect(stderr).not.to.include(SECRET_VALUES[0]);
            expect(stderr).not.to.match(/\n\s+at /);
        });
    });
});
