import { RunwayComponent } from "../base";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENV_NAME } from "../../rules/patterns";
import { componentProfile, Tier, tierProblems } from "../../rules/profile";

export interface SecretsArgs {
    /** Path prefix of every parameter. @example "/shop/production" */
    readonly path: string;
    /** Env name → secret value (from config secrets); stored encrypted, never in plain state. */
    readonly values: Record<string, pulumi.Input<string>>;
    /** Tier whose profile sets the defaults below. @default "staging" */
    readonly tier?: Tier;
    /** Store in Secrets Manager (rotation-ready, $0.40/secret-month) instead of SSM SecureString (free). @default tier profile (true in production) */
    readonly secretsManager?: boolean;
    /** `protect` the secrets. @default tier profile (true in production) */
    readonly protect?: boolean;
    /**
     * Days a deleted Secrets Manager secret stays recoverable (0 or 7-30). While it does, its name is
     * taken and re-creating the stack fails. @default tier profile (30 in production, 0 elsewhere)
     */
    readonly recoveryWindowDays?: number;
}

/**
 * Secrets as SSM Parameter Store SecureStrings under one path (or, where rotation matters,
 * Secrets Manager secrets). `arns` maps each env name to what a task definition's `valueFrom` takes;
 * `path`, `pathArn` and `names` are what a service needs to read them.
 *
 * @example
 * const secrets = new aws.Secrets("app", { path: "/shop/staging", values: { API_KEY: cfg.requireSecret("apiKey") } });
 * new aws.Service("api", { …, secretArns: secrets.arns, secretPathArn: secrets.pathArn,
 *     secretsManagerArns: secrets.secretsManagerArns });
 */
export class Secrets extends RunwayComponent {
    /** Env name → parameter or secret ARN. */
    public readonly arns: Record<string, pulumi.Output<string>> = {};
    /** Secrets Manager ARNs (empty when everything is in SSM). */
    public readonly secretsManagerArns: pulumi.Output<string>[] = [];
    /** The SSM path every parameter lives under (`args.path`): `aws.FunctionService`'s `secretsPath`. */
    public readonly path: string;
    /**
     * ARN of that path (`arn:<partition>:ssm:<region>:<account>:parameter<path>`) in the account and
     * region the component deploys to: `aws.Service`'s and `aws.FunctionService`'s `secretPathArn`.
     */
    public readonly pathArn: pulumi.Output<string>;
    /** Env names of the secrets, in the order of `values`: `aws.FunctionService`'s `secretNames`. */
    public readonly names: string[];
    /**
     * What holds each value (the SSM parameters, the Secrets Manager *versions*): a service that reads a secret at start
     * must wait for these (`secretsReady`), since a secret without its version fails the task (ResourceInitializationError).
     */
    public readonly valuesReady: pulumi.Resource[] = [];

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Secrets", name, opts);
        this.refuse(tierProblems(args.tier, `Secrets(${name}).tier`));
        const profile = componentProfile(args.tier, "staging");
        const recoveryWindowInDays = args.recoveryWindowDays ?? profile.aws.secretRecoveryDays;
        const secretsManager = args.secretsManager ?? profile.aws.secretsManager;
        this.refuse([
            ...(/^(\/[A-Za-z0-9_.-]+)+$/.test(args.path)
                ? []
                : [{ key: `Secrets(${name}).path`, value: args.path, allowed: "an SSM path such as /shop/production" }]),
            // "A parameter name can't be prefixed with aws or ssm (case-insensitive)" (SSM PutParameter); the path starts with the project.
            ...(/^\/?(aws|ssm)/i.test(args.path)
                ? [
                      {
                          key: `Secrets(${name}).path`,
                          value: args.path,
                          allowed: "a path not starting with aws or ssm, which SSM reserves (rename the Pulumi project)",
                      },
                  ]
                : []),
            ...Object.keys(args.values)
                .filter((k) => !ENV_NAME.test(k))
                .map((k) => ({ key: `Secrets(${name}).values`, value: k, allowed: "env names made of letters, digits and underscores" })),
            ...(recoveryWindowInDays === 0 ||
            (Number.isInteger(recoveryWindowInDays) && recoveryWindowInDays >= 7 && recoveryWindowInDays <= 30)
                ? []
                : [
                      {
                          key: `Secrets(${name}).recoveryWindowDays`,
                          value: recoveryWindowInDays,
                          allowed: "0 (delete at once) or 7-30 days",
                      },
                  ]),
        ]);
        this.path = args.path;
        this.names = Object.keys(args.values);
        this.pathArn = ssmPathArn(args.path, { parent: this });
        const child = { parent: this, protect: args.protect ?? profile.settings.protect };
        for (const [envName, value] of Object.entries(args.values)) {
            const id = `${name}-${envName.toLowerCase().replace(/_/g, "-")}`;
            if (secretsManager) {
                const secret = new aws.secretsmanager.Secret(id, { name: `${args.path.slice(1)}/${envName}`, recoveryWindowInDays }, child);
                // A new value replaces the version: protecting it would block that change (the secret itself is protected).
                const version = new aws.secretsmanager.SecretVersion(
                    `${id}-version`,
                    { secretId: secret.id, secretString: pulumi.secret(value) },
                    { parent: this },
                );
                this.valuesReady.push(version);
                this.arns[envName] = secret.arn;
                this.secretsManagerArns.push(secret.arn);
            } else {
                const parameter = new aws.ssm.Parameter(
                    id,
                    { name: `${args.path}/${envName}`, type: "SecureString", value: pulumi.secret(value) },
                    child,
                );
                this.arns[envName] = parameter.arn;
                this.valuesReady.push(parameter);
            }
        }
        this.registerOutputs({ arns: this.arns, pathArn: this.pathArn });
    }
}

/** The ARN of an SSM parameter path in the partition, region and account the provider deploys to. */
function ssmPathArn(path: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    const partition = aws.getPartitionOutput({}, opts).partition;
    const region = aws.getRegionOutput({}, opts).region;
    const account = aws.getCallerIdentityOutput({}, opts).accountId;
    return pulumi.interpolate`arn:${partition}:ssm:${region}:${account}:parameter${path}`;
}
