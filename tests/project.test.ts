import { expect } from "chai";
import Ajv2020 from "ajv/dist/2020";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { plan } from "../plan";
import { loadProjectConfig, maskSecure, SECRET_PLACEHOLDER } from "../plan/project";
import { CONFIG_KEYS } from "../stacks/keys";
import { ROOT } from "./helpers/plans";

const OTHER = path.join(ROOT, "tests", "fixtures", "other-project");

describe("Pulumi.yaml", () => {
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

    it("validates against the official project schema", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "..", "shared", "schemas", "pulumi-project.schema.json"), "utf8"));
        const validate = new Ajv2020({ strict: false }).compile(schema);
        expect(validate(project), JSON.stringify(validate.errors)).to.equal(true);
    });

    it("declares exactly the keys the program reads, with their type, description and default", () => {
        const declared = Object.entries(project.config as Record<string, any>).map(([name, d]) => ({ name, type: d.type, default: d.default, description: d.description }));
        expect(declared).to.deep.equal(CONFIG_KEYS.map((k) => ({ name: k.name, type: k.type, default: k.default, description: k.description })));
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
        expect(() => loadProjectConfig(OTHER, "dev", { replicas: "many" })).to.throw(/configuration key 'replicas' must be of type 'integer'/);
    });

    it("masks nested secure values and marks the whole key secret", () => {
        expect(maskSecure({ A: { secure: "v1:x" }, B: "plain" })).to.deep.equal({ value: { A: SECRET_PLACEHOLDER, B: "plain" }, secret: true });
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
