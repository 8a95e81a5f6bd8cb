import { expect } from "chai";
import Ajv2020 from "ajv/dist/2020";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { plan } from "../plan";
import { loadProjectConfig, maskSecure, SECRET_PLACEHOLDER } from "../plan/engine/project";
import { CONFIG_KEYS } from "../stacks/keys";
import { ROOT } from "./helpers/plans";

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
            /configuration key 'replicas' must be of type 'integer'/,
        );
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
            .and.match(/^npm test$/m);
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        expect(readme).to.include(`Node ${manifest().engines.node.replace(">=", "")}+`);
    });
});

function manifest(): { engines: { node: string } } {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
}
