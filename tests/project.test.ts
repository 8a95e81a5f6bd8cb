import { expect } from "chai";
import Ajv2020 from "ajv/dist/2020";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { plan } from "../plan";
import { firstInvalidUtf8, loadProjectConfig, maskSecure, PlanConfigError, SECRET_PLACEHOLDER } from "../plan/engine/project";
import { CONFIG_KEYS } from "../stacks/keys";
import { ROOT, cli } from "./helpers/plans";

const OTHER = path.join(ROOT, "tests", "fixtures", "other-project");

describe("Pulumi.yaml", () => {
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

    it("validates against the official project schema", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "vendor", "pulumi-project.schema.json"), "utf8"));
        const validate = new Ajv2020({ strict: false }).compile(schema);
        expect(validate(project), JSON.stringify(validate.errors)).to.equal(true);
    });

    it("declares exactly the keys the program reads, with their type, description and default", () => {
        const declared = Object.entries(project.config as Record<string, any>).map(([name, d]) => ({
            name,
            type: d.type,
            default: d.default,
            description: d.description,
        }));
        expect(declared).to.deep.equal(
            CONFIG_KEYS.map((k) => ({ name: k.name, type: k.type, default: k.default, description: k.description })),
        );
    });

    it("describes the project as the package does, naming both clouds", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        expect(project.description).to.equal(manifest.description);
        expect(project.description)
            .to.match(/Cloud Run/)
            .and.match(/ECS|AWS/);
    });

    it("uses the TypeScript Node.js runtime and every stack file names a tier", () => {
        expect(project.runtime).to.deep.include({ name: "nodejs" });
        for (const stack of ["solo", "staging", "production"]) {
            const doc = YAML.parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
            expect(doc.config["runway:tier"], stack).to.equal(stack);
        }
    });
});

describe("project config loading", () => {
    it("merges stack values over declared defaults and masks secure values", () => {
        const loaded = loadProjectConfig(OTHER, "dev");
        expect(loaded.config).to.deep.equal({ "other:replicas": "3", "other:greeting": "hello", "other:apiToken": SECRET_PLACEHOLDER });
        expect(loaded.secretKeys).to.deep.equal(["other:apiToken"]);
    });

    it("applies --config overrides with the project namespace, then type-checks them like the CLI", () => {
        expect(loadProjectConfig(OTHER, "dev", { greeting: "hi" }).config["other:greeting"]).to.equal("hi");
        expect(() => loadProjectConfig(OTHER, "dev", { replicas: "many" })).to.throw(
            /configuration key 'other:replicas' must be of type 'integer'/,
        );
    });

    it("a value of the wrong type for a declared key names the full key, the value and the command that sets it", () => {
        const refusal = (overrides: Record<string, string>, dir = ROOT, stack = "solo") => {
            try {
                loadProjectConfig(dir, stack, overrides);
            } catch (err) {
                expect(err).to.be.instanceOf(PlanConfigError);
                return (err as Error).message;
            }
            throw new Error("not refused");
        };
        expect(refusal({ "runway:alertEmails": "a@b.com" })).to.equal(
            `Stack 'solo' with configuration key 'runway:alertEmails' must be of type 'array' (got "a@b.com"): a list, set one item at a time: pulumi config set --path 'runway:alertEmails[0]' a@b.com (on the plan's command line: --config 'runway:alertEmails=["a@b.com"]')`,
        );
        expect(refusal({ "runway:alertEmails": "a@b.com, ops@b.com" })).to.include(
            "pulumi config set --path 'runway:alertEmails[0]' a@b.com && pulumi config set --path 'runway:alertEmails[1]' ops@b.com",
        );
        expect(refusal({ "runway:port": "80a" })).to.equal(
            `Stack 'solo' with configuration key 'runway:port' must be of type 'integer' (got "80a"): a whole number, e.g. pulumi config set runway:port 8080`,
        );
        expect(refusal({ "runway:staticEgressIp": "yes" })).to.equal(
            `Stack 'solo' with configuration key 'runway:staticEgressIp' must be of type 'boolean' (got "yes"): true or false: pulumi config set runway:staticEgressIp true`,
        );
        // Another project's short key is named in full too; the JSON form on the command line is accepted.
        expect(refusal({ replicas: "many" }, OTHER, "dev")).to.match(
            /^Stack 'dev' with configuration key 'other:replicas' must be of type 'integer'/,
        );
        expect(loadProjectConfig(ROOT, "solo", { "runway:alertEmails": '["a@b.com"]' }).config["runway:alertEmails"]).to.equal(
            '["a@b.com"]',
        );
    });

    it("a wrong type on the command line is exit 2 before any resource, with no program error", async () => {
        const { code, stderr, stdout } = await cli("--stack", "solo", "--config", "runway:alertEmails=a@b.com");
        expect(code).to.equal(2);
        expect(stdout).to.equal("");
        expect(stderr).to.match(/^Stack 'solo' with configuration key 'runway:alertEmails' must be of type 'array' \(got "a@b\.com"\): /);
        expect(stderr).not.to.include("program error");
    });

    it("masks nested secure values and marks the whole key secret", () => {
        expect(maskSecure({ A: { secure: "v1:x" }, B: "plain" })).to.deep.equal({
            value: { A: SECRET_PLACEHOLDER, B: "plain" },
            secret: true,
        });
        expect(maskSecure(["a", "b"])).to.deep.equal({ value: ["a", "b"], secret: false });
    });

    it("refuses a directory without Pulumi.yaml", () => {
        expect(() => loadProjectConfig(path.join(ROOT, "tests"), "dev")).to.throw(/no Pulumi.yaml in .*--cwd/);
    });
});

describe("offline plan of another project (--cwd)", () => {
    it("runs a plain JavaScript Pulumi project and records its resources, options and secret inputs", async () => {
        const { document } = await plan({ cwd: OTHER, stack: "dev" });
        expect(document.project).to.equal("other");
        const pets = document.resources.filter((r) => r.type === "random:index/randomPet:RandomPet");
        expect(pets.map((r) => r.inputs.prefix)).to.deep.equal(["hello", "hello", "hello"]);
        const token = document.resources.find((r) => r.type === "random:index/randomPassword:RandomPassword")!;
        expect(token.protect).to.equal(true);
        expect(token.secretInputs).to.deep.equal(["keepers"]);
        expect(document.outputs.names).to.have.length(3);
        expect(document.config["other:apiToken"]).to.equal("[secret]");
    });
});

describe("the repository is whole on its own", () => {
    // .ci/run proves it by running the suite from a copy with nothing beside it; this catches a
    // path out of the repository before CI does.
    it("no tracked file refers to a path outside the repository (such as a shared folder beside the clone)", () => {
        const files = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
            .split("\n")
            .filter((f) => /\.(ts|js|json|ya?ml|md|sh)$|^\.ci\//.test(f));
        const outside = /\.\.[/\\]shared\b|["']\.\.["'],\s*["']shared["']|\/work\//;
        const offenders = files.filter(
            (f) => fs.existsSync(path.join(ROOT, f)) && outside.test(fs.readFileSync(path.join(ROOT, f), "utf8")),
        );
        expect(offenders).to.deep.equal([]);
    });

    it("vendors the project schema with its source and licence", () => {
        const notes = fs.readFileSync(path.join(ROOT, "vendor", "README.md"), "utf8");
        const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "vendor", "pulumi-project.schema.json"), "utf8"));
        expect(notes)
            .to.include("pulumi-project.schema.json")
            .and.include(schema.$id.replace("https://github.com/pulumi/pulumi/blob/master/", ""))
            .and.include("Apache-2.0");
    });

    it("has a LICENSE matching package.json", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        expect(manifest.license).to.equal("Apache-2.0");
        expect(fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8")).to.match(/^\s*Apache License\s+Version 2\.0, January 2004/);
    });
});

describe("Node versions, told truthfully", () => {
    /** Lowest major.minor a range admits, from its `>=` or `^` bounds: "^20.19.0 || >=22.12.0" → [20, 19]. */
    const lowest = (range: string): [number, number] => {
        const bounds = [...range.matchAll(/(?:>=|\^)\s*(\d+)(?:\.(\d+))?/g)].map(
            (m) => [Number(m[1]), Number(m[2] ?? 0)] as [number, number],
        );
        return bounds.sort((a, b) => a[0] - b[0] || a[1] - b[1])[0] ?? [0, 0];
    };

    it("package.json's engines are what the strictest dependency requires", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies });
        const required = deps
            .map((d) => {
                const engines = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", d, "package.json"), "utf8")).engines?.node;
                return { d, bound: engines ? lowest(engines) : ([0, 0] as [number, number]) };
            })
            .sort((a, b) => b.bound[0] - a.bound[0] || b.bound[1] - a.bound[1])[0];
        expect(required.d).to.equal("@pulumi/pulumi");
        expect(manifest.engines.node).to.equal(`>=${required.bound[0]}${required.bound[1] ? `.${required.bound[1]}` : ""}`);
    });

    it("CI runs the suite on Node 24 LTS from the npm registry, from a copy with nothing beside it", () => {
        const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
        expect(ci)
            .to.match(/^NODE_VERSION=24\.\d+\.\d+$/m)
            .and.include('"node@$NODE_VERSION"')
            .and.include('test "$(node --version)" = "v$NODE_VERSION"');
        expect(ci)
            .to.include('cd "$work/runway"')
            .and.match(/^(timeout [^\n]*\s)?npm test( |$)/m);
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        expect(readme).to.include(`Node ${manifest().engines.node.replace(">=", "")}+`);
    });
});

function manifest(): { engines: { node: string } } {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
}

describe("project and stack files, read as strictly as the Pulumi CLI reads them", () => {
    const PROJECT = "name: strict\nruntime: nodejs\n";
    /** A project folder in the temp directory with these files (Pulumi.yaml defaults to a minimal project). */
    function projectWith(files: Record<string, string | Buffer>): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-strict-"));
        for (const [name, content] of Object.entries({ "Pulumi.yaml": PROJECT, ...files })) fs.writeFileSync(path.join(dir, name), content);
        return dir;
    }
    const load = (files: Record<string, string | Buffer>, stack = "dev") => {
        try {
            return loadProjectConfig(projectWith({ "Pulumi.dev.yaml": "config: {}\n", ...files }), stack);
        } catch (err) {
            return (err as Error).message;
        }
    };

    it("refuses a default for another package's key, and the other declarations the CLI refuses, with its message", () => {
        const declared = (config: string) => load({ "Pulumi.yaml": `${PROJECT}config:\n${config}` });
        expect(declared("  aws:region:\n    default: us-east-1\n")).to.equal(
            "Pulumi.yaml: Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
        );
        expect(declared("  aws:region:\n    type: string\n    value: x\n")).to.equal(
            "Pulumi.yaml: Configuration key 'aws:region' is not namespaced by the project and should not define a type",
        );
        expect(declared("  aws:region:\n    description: where\n")).to.equal(
            "Pulumi.yaml: Configuration key 'aws:region' is namespaced and must provide an attribute 'value'",
        );
        expect(declared("  size:\n    default: 1\n    value: 2\n")).to.equal(
            "Pulumi.yaml: project config 'size' cannot have both a 'default' and 'value' attribute",
        );
        expect(declared("  zones:\n    type: array\n")).to.equal(
            "Pulumi.yaml: The configuration key 'zones' declares an array but does not specify the underlying type via the 'items' attribute",
        );
        expect(declared("  zones:\n    type: array\n    items:\n      type: string\n    default: [a, 1]\n")).to.equal(
            "Pulumi.yaml: The default value specified for configuration key 'zones' is not of the expected type 'array<string>'",
        );
        expect(declared("  strict:size:\n    type: integer\n    default: big\n")).to.equal(
            "Pulumi.yaml: The default value specified for configuration key 'strict:size' is not of the expected type 'integer'",
        );
        // What the CLI accepts: another package's value (long or shorthand), the project's typed defaults.
        const ok = declared(
            '  aws:region:\n    value: us-west-2\n  gcp:project: acme\n  size:\n    type: integer\n    default: "3"\n  zones:\n    type: array\n    items:\n      type: string\n    default: [a, b]\n',
        );
        expect(ok).to.be.an("object");
        expect((ok as { config: Record<string, string> }).config).to.deep.include({
            "aws:region": "us-west-2",
            "gcp:project": "acme",
            "strict:size": "3",
            "strict:zones": '["a","b"]',
        });
    });

    it("refuses bytes that are not UTF-8 and control characters, naming the file and the place; reads a byte-order mark and UTF-16", () => {
        const latin1 = Buffer.concat([Buffer.from("config:\n  strict:greeting: caf"), Buffer.from([0xe9]), Buffer.from("\n")]);
        expect(load({ "Pulumi.dev.yaml": latin1 })).to.equal(
            'Pulumi.dev.yaml: not UTF-8 text: byte 0xe9 at line 2, column 23 (the Pulumi CLI refuses the file: "yaml: invalid UTF-8"); save it as UTF-8',
        );
        expect(load({ "Pulumi.dev.yaml": "config:\n  strict:bell: a\u0007b\n" })).to.equal(
            'Pulumi.dev.yaml: control character U+0007 at line 2, column 17: YAML does not allow it (the Pulumi CLI refuses the file: "yaml: control characters are not allowed")',
        );
        const utf8 = 'config:\n  strict:greeting: "café ☕"\n';
        for (const bytes of [
            Buffer.from(utf8),
            Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(utf8)]),
            Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8, "utf16le")]),
        ])
            expect((load({ "Pulumi.dev.yaml": bytes }) as { config: Record<string, string> }).config["strict:greeting"]).to.equal(
                "café ☕",
            );
        expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).to.equal(1); // overlong
        expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).to.equal(1); // a surrogate
        expect(firstInvalidUtf8(Buffer.from([0xe2, 0x82]))).to.equal(0); // cut short
        expect(firstInvalidUtf8(Buffer.from("ok ✓ 🚀"))).to.equal(-1);
    });

    it("refuses an alias bomb as a bad file, naming it, as the CLI does (not a program error)", () => {
        const levels = ["  strict:a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
        for (let i = 1; i < 9; i++)
            levels.push(
                `  strict:l${i}: &l${i} [${Array(9)
                    .fill(i === 1 ? "*a" : `*l${i - 1}`)
                    .join(", ")}]`,
            );
        const dir = projectWith({ "Pulumi.dev.yaml": `config:\n${levels.join("\n")}\n` });
        expect(() => loadProjectConfig(dir, "dev"))
            .to.throw(PlanConfigError)
            .with.property(
                "message",
                `cannot read ${path.join(dir, "Pulumi.dev.yaml")}: Excessive alias count indicates a resource exhaustion attack (the Pulumi CLI refuses it too: "yaml: document contains excessive aliasing")`,
            );
    });

    it("refuses a key given twice in one mapping, with both lines; the same key in two mappings, and merge keys, are fine", () => {
        expect(load({ "Pulumi.dev.yaml": "config:\n  strict:a: 1\n  strict:b: 2\n  strict:a: 3\n" })).to.equal(
            'Pulumi.dev.yaml: line 4: mapping key "strict:a" already defined at line 2 (the Pulumi CLI refuses a key given twice)',
        );
        const fine = load({
            "Pulumi.dev.yaml": "base: &base\n  x: 1\nconfig:\n  strict:one:\n    x: 1\n  strict:two:\n    <<: *base\n    y: 2\n",
        }) as { config: Record<string, string> };
        expect(fine.config).to.deep.include({ "strict:one": '{"x":1}', "strict:two": '{"x":1,"y":2}' });
    });

    it("reads a file again as it is now: a rewritten stack file plans its new values; the same bad text fails under each name", () => {
        const dir = projectWith({ "Pulumi.dev.yaml": "config:\n  strict:size: small\n" });
        expect(loadProjectConfig(dir, "dev").config).to.deep.equal({ "strict:size": "small" });
        expect(loadProjectConfig(dir, "dev").config).to.deep.equal({ "strict:size": "small" });
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  strict:size: large\n");
        expect(loadProjectConfig(dir, "dev").config).to.deep.equal({ "strict:size": "large" });
        const twice = "config:\n  strict:a: 1\n  strict:a: 2\n";
        for (const stack of ["dev", "prod"])
            expect(load({ [`Pulumi.${stack}.yaml`]: twice }, stack)).to.match(new RegExp(`^Pulumi\\.${stack}\\.yaml: line 3: `));
    });

    it("checks project and stack names as the CLI does, and takes the stack's own name from a qualified --stack", () => {
        expect(load({ "Pulumi.yaml": "name: my project\nruntime: nodejs\n" })).to.match(
            /Pulumi\.yaml: name "my project": a project name may only contain alphanumerics, hyphens, underscores or periods: invalid character " " at position 2$/,
        );
        expect(load({}, "dev stack")).to.equal(
            '--stack "dev stack": a stack name may only contain alphanumerics, hyphens, underscores or periods: invalid character " " at position 3',
        );
        expect(load({}, "../dev")).to.equal('--stack "../dev": ".." is not an organization or project name');
        expect(load({}, "acme/other/dev")).to.equal('--stack "acme/other/dev": the stack belongs to project other, this is project strict');
        for (const qualified of ["acme/dev", "acme/strict/dev"]) expect((load({}, qualified) as { stack: string }).stack).to.equal("dev");
    });
});
