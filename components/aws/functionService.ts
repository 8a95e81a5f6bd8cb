import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems } from "../../rules/problems";
import { ENV_NAME } from "../../rules/patterns";
import { checkLambdaShape, logRetentionProblems } from "../../rules/aws/limits";
import { awsNames } from "../../rules/aws/names";
import { lambdaPullPolicy, serviceTrustPolicy, ssmPathReadPolicy } from "../../rules/aws/iam";
import { TIER_PROFILES } from "../../rules/profile";

/** The alias the function URL serves and CI moves. */
export const LIVE_ALIAS = "live";

export interface FunctionServiceArgs {
    /**
     * Container image by digest, in `repositoryName`, answering Lambda's Runtime API (app/ does; or carry the AWS Lambda Web Adapter).
     * @example "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:..." */
    readonly image: pulumi.Input<string>;
    /**
     * ECR repository of the image: Lambda gets pull access to it for this function only, through the
     * repository's policy (ECR keeps one per repository): give each function its own repository.
     */
    readonly repositoryName: pulumi.Input<string>;
    /** Function name: unique per account and region, so include the stack. @default the component name */
    readonly functionName?: string;
    /** Port the container listens on (the adapter forwards requests to it). @default 8080 */
    readonly port?: number;
    /** Readiness path the adapter polls before the first request. @default "/health" */
    readonly healthPath?: string;
    /** Memory in MiB, 128-10,240 (CPU grows with it). @default 512 */
    readonly memory?: number;
    /** Request timeout in seconds, 1-900. @default 300 */
    readonly timeoutSeconds?: number;
    /**
     * Reserved concurrency: the most environments running at once (a ceiling on the bill). Lambda refuses it unless 100
     * executions stay unreserved in the account and region (PutFunctionConcurrency). @default none: the account's unreserved pool
     */
    readonly maxConcurrency?: number;
    /** Plain env vars. @default {} */
    readonly env?: Record<string, pulumi.Input<string>>;
    /**
     * SSM path holding the service's secrets (aws.Secrets): the function may read it and gets it as
     * RUNWAY_SECRETS_PATH (with RUNWAY_SECRET_NAMES) to load at start-up. Lambda has no secret
     * injection, and a value in the function's environment is readable by anyone who may read the
     * function's configuration, so secret values never go there. @default none @example "/shop/solo"
     */
    readonly secretsPath?: string;
    /** ARN of `secretsPath` (`aws.Secrets`'s `pathArn`). @default none (required with secretsPath) */
    readonly secretPathArn?: pulumi.Input<string>;
    /** Names of the secrets under `secretsPath`, passed as RUNWAY_SECRET_NAMES. @default [] */
    readonly secretNames?: string[];
    /** What holds the secret values (`aws.Secrets`'s `valuesReady`): the function waits for them, as it reads them at start. @default [] */
    readonly secretsReady?: pulumi.Resource[];
    /** Log retention in days. @default 7 */
    readonly logRetentionDays?: number;
    /** Leave the image and the alias to CI (it deploys new versions): `pulumi up` does not roll them back. @default false */
    readonly ignoreImageChanges?: boolean;
}

/**
 * The solo tier on AWS: the service's container image on AWS Lambda, a published version behind the
 * alias `live`, and a public function URL on that alias. Scales to zero: idle costs nothing beyond
 * image storage. Secrets stay in SSM; the function reads them (see `secretsPath`). The image must
 * turn Lambda invocations into HTTP requests on `port`: Runway's `app/` does it itself (app/lambda.js:
 * a Runtime API loop, active only on Lambda, that also loads the secrets); any other HTTP image can
 * carry the AWS Lambda Web Adapter (`/opt/extensions/lambda-adapter`, configured by the AWS_LWA_* env set here).
 *
 * @example
 * const web = new aws.FunctionService("app", { image: image.imageRef, repositoryName: registry.repository.name, functionName: "shop-solo" });
 */
export class FunctionService extends pulumi.ComponentResource {
    public readonly function: aws.lambda.Function;
    public readonly alias: aws.lambda.Alias;
    public readonly role: aws.iam.Role;
    public readonly logGroup: aws.cloudwatch.LogGroup;
    public readonly functionName: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    public readonly aliasName: string = LIVE_ALIAS;
    /** The function URL of alias `live`. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: FunctionServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:FunctionService", name, {}, opts);
        const preset = TIER_PROFILES.solo.aws;
        const shape = { memory: args.memory ?? preset.memory, timeoutSeconds: args.timeoutSeconds ?? 300 };
        const context = `Invalid arguments for runway:aws:FunctionService "${name}"`;
        throwIfProblems(context, [
            ...checkLambdaShape(shape, (f) => `FunctionService(${name}).${f}`),
            ...logRetentionProblems(args.logRetentionDays ?? preset.logRetentionDays, `FunctionService(${name}).logRetentionDays`),
            ...(args.maxConcurrency === undefined || (Number.isInteger(args.maxConcurrency) && args.maxConcurrency >= 1)
                ? []
                : [{ key: `FunctionService(${name}).maxConcurrency`, value: args.maxConcurrency, allowed: "a whole number ≥ 1" }]),
            ...(args.secretsPath !== undefined && args.secretPathArn === undefined
                ? [{ key: `FunctionService(${name}).secretPathArn`, value: undefined, allowed: "the ARN of secretsPath" }]
                : []),
            ...Object.keys(args.env ?? {})
                .filter((k) => !ENV_NAME.test(k) || k.startsWith("AWS_"))
                .map((k) => ({
                    key: `FunctionService(${name}).env`,
                    value: k,
                    allowed: "env names of letters, digits and underscores, not starting with AWS_ (Lambda reserves them)",
                })),
        ]);
        const functionName = args.functionName ?? name;
        const parent = { parent: this };
        const region = aws.getRegionOutput({}, parent).region;
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const functionArn = pulumi.interpolate`arn:aws:lambda:${region}:${account}:function:${functionName}`;

        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: awsNames(functionName).logGroup("lambda"), retentionInDays: args.logRetentionDays ?? preset.logRetentionDays },
            parent,
        );
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
                description: "Runs the function: writes its own logs, nothing else",
            },
            parent,
        );
        const logs = new aws.iam.RolePolicy(
            `${name}-logs`,
            {
                role: this.role.name,
                policy: this.logGroup.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:*` }],
                    }),
                ),
            },
            parent,
        );
        const grants: pulumi.Resource[] = [logs];
        if (args.secretPathArn !== undefined) {
            grants.push(
                new aws.iam.RolePolicy(
                    `${name}-secrets`,
                    { role: this.role.name, policy: pulumi.output(args.secretPathArn).apply(ssmPathReadPolicy) },
                    parent,
                ),
            );
        }
        const pull = new aws.ecr.RepositoryPolicy(
            `${name}-pull`,
            { repository: args.repositoryName, policy: functionArn.apply(lambdaPullPolicy) },
            parent,
        );

        const secrets: Record<string, string> =
            args.secretsPath === undefined
                ? {}
                : { RUNWAY_SECRETS_PATH: args.secretsPath, RUNWAY_SECRET_NAMES: (args.secretNames ?? []).join(",") };
        const variables: Record<string, pulumi.Input<string>> = {
            ...args.env,
            AWS_LWA_PORT: String(args.port ?? 8080),
            AWS_LWA_READINESS_CHECK_PATH: args.healthPath ?? "/health",
            PORT: String(args.port ?? 8080),
            ...secrets,
        };
        this.function = new aws.lambda.Function(
            `${name}-function`,
            {
                name: functionName,
                packageType: "Image",
                imageUri: args.image,
                role: this.role.arn,
                architectures: ["x86_64"],
                memorySize: shape.memory,
                timeout: shape.timeoutSeconds,
                publish: true,
                reservedConcurrentExecutions: args.maxConcurrency,
                environment: { variables },
                loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
                tags: { "managed-by": "runway" },
            },
            {
                parent: this,
                dependsOn: [...grants, pull, ...(args.secretsReady ?? [])],
                ignoreChanges: args.ignoreImageChanges ? ["imageUri"] : [],
            },
        );
        this.alias = new aws.lambda.Alias(
            `${name}-live`,
            { name: LIVE_ALIAS, functionName: this.function.name, functionVersion: this.function.version },
            {
                parent: this,
                ignoreChanges: args.ignoreImageChanges ? ["functionVersion"] : [],
            },
        );
        const url = new aws.lambda.FunctionUrl(
            `${name}-url`,
            { functionName: this.function.name, qualifier: this.alias.name, authorizationType: "NONE", invokeMode: "BUFFERED" },
            parent,
        );
        // A public URL needs both grants since October 2025: InvokeFunctionUrl and InvokeFunction via the URL.
        new aws.lambda.Permission(
            `${name}-public-url`,
            {
                function: this.function.name,
                qualifier: this.alias.name,
                action: "lambda:InvokeFunctionUrl",
                principal: "*",
                functionUrlAuthType: "NONE",
            },
            parent,
        );
        new aws.lambda.Permission(
            `${name}-public-invoke`,
            {
                function: this.function.name,
                qualifier: this.alias.name,
                action: "lambda:InvokeFunction",
                principal: "*",
                invokedViaFunctionUrl: true,
            },
            parent,
        );

        this.functionName = this.function.name;
        this.functionArn = this.function.arn;
        this.url = url.functionUrl;
        this.registerOutputs({ url: this.url, functionName: this.functionName, aliasName: this.aliasName });
    }
}
