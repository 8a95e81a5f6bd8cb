import { expect } from "chai";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as random from "@pulumi/random";
import { analyzerInputs } from "../plan/engine/analyzerInputs";
import { ProgramRun, recordProgram } from "../plan/engine";
import { runPolicies } from "../plan/engine/policies";
import { ROOT } from "./helpers/plans";

const ASSETS = path.join(ROOT, "tests", "fixtures", "assets");
// Independent oracle: `sha256sum handler.js bundle.zip` in tests/fixtures/assets.
const HANDLER_SHA256 = "60af0a5433823fbb498c68dfa28be56f2ae0f9c4dae6105bfa044d8f79b1639e";
const BUNDLE_SHA256 = "7c103a359c0a46e4665803b9ce42a81b09b9e5ea371cc855571b2240f0d0a170";
// `printf 'hello' | sha256sum`
const HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
const SIG = rpc.specialSigKey;

class Box extends pulumi.ComponentResource {
    constructor(name: string) {
        super("corpus:index:Box", name);
        this.registerOutputs({});
    }
}

class Thing extends pulumi.CustomResource {
    constructor(name: string, props: Record<string, unknown>) {
        super("corpus:index:Thing", name, props);
    }
}

describe("what policies receive (the engine's analyzer marshalling)", () => {
    it("turns a custom resource reference into its id, a component into its URN, an unknown id into unknown", () => {
        const { properties } = analyzerInputs(
            {
                role: { [SIG]: rpc.specialResourceSig, urn: "urn:pulumi:s::p::aws:iam/role:Role::r", id: "r-123" },
                parent: { [SIG]: rpc.specialResourceSig, urn: "urn:pulumi:s::p::my:index:Box::b" },
                pending: { [SIG]: rpc.specialResourceSig, urn: "urn:pulumi:s::p::aws:iam/role:Role::q", id: rpc.unknownValue },
                nested: [{ ref: { [SIG]: rpc.specialResourceSig, urn: "u", id: "" } }],
                __defaults: ["x"],
            },
            ASSETS,
        );
        expect(properties).to.deep.equal({
            role: "r-123",
            parent: "urn:pulumi:s::p::my:index:Box::b",
            pending: rpc.unknownValue,
            nested: [{ ref: rpc.unknownValue }],
        });
    });

    it("keeps secrets, folds output values back into secrets/unknowns, and hashes assets in the program's directory", () => {
        const { properties, problems } = analyzerInputs(
            {
                token: { [SIG]: rpc.specialSecretSig, value: "s" },
                out: { [SIG]: rpc.specialOutputValueSig, secret: true },
                code: { [SIG]: rpc.specialAssetSig, path: "handler.js" },
                text: { [SIG]: rpc.specialAssetSig, text: "hello" },
                zip: { [SIG]: rpc.specialArchiveSig, path: "bundle.zip" },
                dir: { [SIG]: rpc.specialArchiveSig, path: "site" },
                missing: { [SIG]: rpc.specialAssetSig, path: "nope.js" },
            },
            ASSETS,
        );
        expect(properties.token).to.deep.equal({ [SIG]: rpc.specialSecretSig, value: "s" });
        expect(properties.out).to.deep.equal({ [SIG]: rpc.specialSecretSig, value: rpc.unknownValue });
        expect(properties.code).to.deep.equal({ [SIG]: rpc.specialAssetSig, path: "handler.js", hash: HANDLER_SHA256 });
        expect(properties.text).to.deep.equal({ [SIG]: rpc.specialAssetSig, text: "hello", hash: HELLO_SHA256 });
        expect(properties.zip).to.deep.equal({ [SIG]: rpc.specialArchiveSig, path: "bundle.zip", hash: BUNDLE_SHA256 });
        // A folder's hash is over a tar the engine writes itself: left out rather than guessed.
        expect(properties.dir).to.deep.equal({ [SIG]: rpc.specialArchiveSig, path: "site" });
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(/^missing: the asset file nope\.js cannot be read \(ENOENT\); pulumi preview fails/);
    });

    it("feeds a resource reference, an asset and an archive through the policy run as the engine would", async () => {
        const previous = process.cwd();
        process.chdir(ASSETS);
        let run: ProgramRun;
        try {
            run = await recordProgram(
                () => {
                    const pet = new random.RandomPet("pet", {});
                    const box = new Box("box");
                    new Thing("thing", {
                        role: pet,
                        owner: box,
                        code: new pulumi.asset.FileAsset("handler.js"),
                        bundle: new pulumi.asset.FileArchive("bundle.zip"),
                        site: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.x = 1") }),
                    });
                },
                { project: "t", stack: "t", config: {}, secretKeys: [] },
            );
        } finally {
            process.chdir(previous);
        }
        const thing = run.resources.find((r) => r.name === "thing")!;
        const box = run.resources.find((r) => r.name === "box")!;
        const wire = (run.wireInputs.get(thing.urn) as { toJavaScript(): Record<string, any> }).toJavaScript();
        expect(wire.role).to.equal("pet-id");
        expect(wire.owner).to.equal(box.urn);
        expect(wire.code).to.deep.equal({ [SIG]: rpc.specialAssetSig, path: "handler.js", hash: HANDLER_SHA256 });
        expect(wire.bundle).to.deep.equal({ [SIG]: rpc.specialArchiveSig, path: "bundle.zip", hash: BUNDLE_SHA256 });
        expect(wire.site.assets["index.js"]).to.deep.equal({ [SIG]: rpc.specialAssetSig, text: "exports.x = 1" });

        const seen: { resource?: Record<string, any>; stack?: PolicyResource[] } = {};
        const report = await runPolicies(
            {
                name: "probe",
                version: "0.0.1",
                enforcementLevel: "advisory",
                policies: [
                    {
                        name: "see-resource",
                        description: "records props",
                        validateResource: (args: ResourceValidationArgs) => {
                            if (args.name === "thing") seen.resource = args.props;
                        },
                    },
                    {
                        name: "see-stack",
                        description: "records the stack",
                        validateStack: (args) => {
                            seen.stack = args.resources;
                        },
                    },
                ],
            },
            run,
        );
        expect(report.violations).to.deep.equal([]);
        expect(seen.resource!.role).to.equal("pet-id");
        expect(seen.resource!.owner).to.equal(box.urn);
        expect(pulumi.asset.FileAsset.isInstance(seen.resource!.code)).to.equal(true);
        expect(pulumi.asset.FileArchive.isInstance(seen.resource!.bundle)).to.equal(true);
        expect(pulumi.asset.AssetArchive.isInstance(seen.resource!.site)).to.equal(true);
        expect(seen.stack!.find((r) => r.name === "thing")!.props.role).to.equal("pet-id");
    });
});
