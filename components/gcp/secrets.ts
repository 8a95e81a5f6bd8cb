import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Problem } from "../../rules/problems";
import { ENV_NAME } from "../../rules/patterns";
import { MANAGED_BY, RunwayComponent, keyedEntries } from "../base";

export interface SecretsArgs {
    /** Project id. @default the provider's project */
    readonly project?: pulumi.Input<string>;
    /**
     * Secret name → value. Values should come from config secrets (`config.requireSecret`); they
     * are wrapped in `pulumi.secret` again here so a plain value never reaches the state in clear.
     * @example { DATABASE_URL: config.requireSecret("databaseUrl") }
     */
    readonly values: Record<string, pulumi.Input<string>>;
    /** Prefix of every secret id, so several services can share a project. @example "shop-production" */
    readonly prefix: string;
    /** Members that may read every secret (e.g. a second consumer). Services grant their own runtime identity. @default [] */
    readonly accessors?: pulumi.Input<string>[];
    /**
     * `protect` the secrets (the long-lived parents). Versions are never protected: their data is
     * immutable, so a new value replaces the version, which `protect` would block.
     * @default false
     */
    readonly protect?: boolean;
}

/** Secret id for a value name: `<prefix>-<name>` in lowercase with hyphens. */
export function secretId(prefix: string, name: string): string {
    return `${prefix}-${name}`
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, "-")
        .slice(0, 255);
}

/**
 * Secret Manager secrets with one version each, holding values that stay secret in Pulumi state.
 *
 * @example
 * const secrets = new gcp.Secrets("app", { prefix: "shop-prod", values: { API_KEY: cfg.requireSecret("apiKey") } });
 * new gcp.Service("web", { ..., secretEnv: secrets.secretIds });
 */
export class Secrets extends RunwayComponent {
    /** Value name → secret resource. */
    public readonly secrets: Record<string, gcp.secretmanager.Secret> = {};
    /** Value name → secret id (`projects/<p>/secrets/<id>`), for a Service's `secretEnv`. */
    public readonly secretIds: Record<string, pulumi.Output<string>> = {};
    /** Value name → the version holding the value: readers at `latest` must wait for it (a Service's `secretVersions`). */
    public readonly versions: Record<string, gcp.secretmanager.SecretVersion> = {};

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Secrets", name, opts);
        const problems: Problem[] = [];
        for (const key of Object.keys(args.values)) {
            if (!ENV_NAME.test(key))
                problems.push({
                    key: `Secrets(${name}).values.${key}`,
                    value: "(hidden)",
                    allowed: "names made of letters, digits and underscores",
                });
        }
        const byId = new Map<string, string>();
        for (const key of Object.keys(args.values)) {
            // Secret ids are lowercase: API_KEY and api_key would be one secret (and one resource name).
            const twin = byId.get(secretId(args.prefix, key));
            if (twin !== undefined)
                problems.push({
                    key: `Secrets(${name}).values.${key}`,
                    value: "(hidden)",
                    allowed: `a name that differs from ${twin} in more than letter case`,
                });
            byId.set(secretId(args.prefix, key), key);
        }
        if (!/^[a-z][a-z0-9-]*$/.test(args.prefix))
            problems.push({
                key: `Secrets(${name}).prefix`,
                value: args.prefix,
                allowed: "lowercase letters, digits and hyphens, starting with a letter",
            });
        this.refuse(problems);

        for (const [key, value] of Object.entries(args.values)) {
            const child = `${name}-${key.toLowerCase().replace(/_/g, "-")}`;
            const secret = new gcp.secretmanager.Secret(
                child,
                {
                    project: args.project,
                    secretId: secretId(args.prefix, key),
                    replication: { auto: {} },
                    labels: { ...MANAGED_BY },
                },
                { parent: this, protect: args.protect },
            );
            // Not protected: a changed value replaces the version (secretData is immutable).
            this.versions[key] = new gcp.secretmanager.SecretVersion(
                `${child}-version`,
                {
                    secret: secret.id,
                    secretData: pulumi.secret(value),
                },
                { parent: this },
            );
            for (const { entry: member, name: accessor, aliases } of keyedEntries(`${child}-accessor`, args.accessors ?? [])) {
                new gcp.secretmanager.SecretIamMember(
                    accessor,
                    {
                        project: secret.project,
                        secretId: secret.secretId,
                        role: "roles/secretmanager.secretAccessor",
                        member,
                    },
                    { parent: this, aliases },
                );
            }
            this.secrets[key] = secret;
            this.secretIds[key] = secret.id;
        }
        this.registerOutputs({ secretIds: this.secretIds });
    }
}
