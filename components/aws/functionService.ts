import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { problemIf } from "../../rules/problems";
import { ENV_NAME } from "../../rules/patterns";
import { checkLambdaShape, logRetentionProblems } from "../../rules/aws/limits";
import { awsNameProblems, awsNames } from "../../rules/aws/names";
import { lambdaPullPolicy, serviceTrustPolicy, ssmPathReadPolicy } from "../../rules/aws/iam";
import { awsRuntimePreset } from "../../rules/profile";
import { MANAGED_BY, RunwayComponent } from "../base";

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
export class FunctionService extends RunwayComponent {
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
        super("runway:aws:FunctionService", name, opts);
        const spec = this.resolve(args);
        this.logGroup = new aws.cloudwatch.LogGroup(
            this.childName("logs"),
            { name: awsNames(spec.functionName).logGroup("lambda"), retentionInDays: spec.logRetentionDays },
            this.childOpts(),
        );
        this.role = new aws.iam.Role(
            this.childName("role"),
            {
                assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
                description: "Runs the function: writes its own logs, nothing else",
            },
            this.childOpts(),
        );
        const grants = this.grantRole(args, spec.functionName);
        this.function = this.createFunction(args, spec, grants);
        this.alias = new aws.lambda.Alias(
            this.childName("live"),
            { name: LIVE_ALIAS, functionName: this.function.name, functionVersion: this.function.version },
            this.childOpts({ ignoreChanges: args.ignoreImageChanges ? ["functionVersion"] : [] }),
        );
        this.functionName = this.function.name;
        this.functionArn = this.function.arn;
        this.url = this.createPublicUrl();
        this.registerOutputs({ url: this.url, functionName: this.functionName, aliasName: this.aliasName });
    }

    /** Checks the arguments and fills the defaults (the Lambda tier's preset). */
    private resolve(args: FunctionServiceArgs) {
        const preset = awsRuntimePreset("lambda");
        const shape = { memory: args.memory ?? preset.memory, timeoutSeconds: args.timeoutSeconds ?? 300 };
        const logRetentionDays = args.logRetentionDays ?? preset.logRetentionDays;
        const concurrency = args.maxConcurrency;
        const functionName = args.functionName ?? this.baseName;
        this.refuse([
            ...awsNameProblems("lambdaFunction", functionName, this.argKey("functionName")),
            ...checkLambdaShape(shape, (f) => this.argKey(f)),
            ...logRetentionProblems(logRetentionDays, this.argKey("logRetentionDays")),
            ...problemIf(
                concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1),
                this.argKey("maxConcurrency"),
                concurrency,
                "a whole number ≥ 1",
            ),
            ...problemIf(
                args.secretsPath !== undefined && args.secretPathArn === undefined,
                this.argKey("secretPathArn"),
                undefined,
                "the ARN of secretsPath",
            ),
            ...Object.keys(args.env ?? {})
                .filter((k) => !ENV_NAME.test(k) || k.startsWith("AWS_"))
                .map((k) => ({
                    key: this.argKey("env"),
                    value: k,
                    allowed: "env names of letters, digits and underscores, not starting with AWS_ (Lambda reserves them)",
                })),
        ]);
        return { ...shape, logRetentionDays, functionName };
    }

    /** The role writes its logs and reads the secrets path; the repository lets Lambda pull for this function. */
    private grantRole(args: FunctionServiceArgs, functionName: string): pulumi.Resource[] {
        const region = aws.getRegionOutput({}, this.childOpts()).region;
        const account = aws.getCallerIdentityOutput({}, this.childOpts()).accountId;
        const functionArn = pulumi.interpolate`arn:aws:lambda:${region}:${account}:function:${functionName}`;
        const logs = new aws.iam.RolePolicy(
            this.childName("logs"),
            {
                role: this.role.name,
                policy: this.logGroup.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:*` }],
                    }),
                ),
            },
            this.childOpts(),
        );
        const secrets =
            args.secretPathArn === undefined
                ? []
                : [
                      new aws.iam.RolePolicy(
                          this.childName("secrets"),
                          { role: this.role.name, policy: pulumi.output(args.secretPathArn).apply(ssmPathReadPolicy) },
                          this.childOpts(),
                      ),
                  ];
        const pull = new aws.ecr.RepositoryPolicy(
            this.childName("pull"),
            { repository: args.repositoryName, policy: functionArn.apply(lambdaPullPolicy) },
            this.childOpts(),
        );
        return [logs, ...secrets, pull];
    }

    /** The function, published on every change; secret values never enter its environment (it loads them at start). */
    private createFunction(
        args: FunctionServiceArgs,
        spec: { functionName: string; memory: number; timeoutSeconds: number },
        grants: pulumi.Resource[],
    ): aws.lambda.Function {
        const port = String(args.port ?? 8080);
        const secrets: Record<string, string> =
            args.secretsPath === undefined
                ? {}
                : { RUNWAY_SECRETS_PATH: args.secretsPath, RUNWAY_SECRET_NAMES: (args.secretNames ?? []).join(",") };
        const variables: Record<string, pulumi.Input<string>> = {
            ...args.env,
            AWS_LWA_PORT: port,
            AWS_LWA_READINESS_CHECK_PATH: args.healthPath ?? "/health",
            PORT: port,
            ...secrets,
        };
        return new aws.lambda.Function(
            this.childName("function"),
            {
                name: spec.functionName,
                packageType: "Image",
                imageUri: args.image,
                role: this.role.arn,
                architectures: ["x86_64"],
                memorySize: spec.memory,
                timeout: spec.timeoutSeconds,
                publish: true,
                reservedConcurrentExecutions: args.maxConcurrency,
                environment: { variables },
                loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
                tags: { ...MANAGED_BY },
            },
            this.childOpts({
                dependsOn: [...grants, ...(args.secretsReady ?? [])],
                ignoreChanges: args.ignoreImageChanges ? ["imageUri"] : [],
            }),
        );
    }

    /** The public function URL on alias `live`: since October 2025 it needs both InvokeFunctionUrl and InvokeFunction via the URL. */
    private createPublicUrl(): pulumi.Output<string> {
        const target = { function: this.function.name, qualifier: this.alias.name };
        const url = new aws.lambda.FunctionUrl(
            this.childName("url"),
            { functionName: this.function.name, qualifier: this.alias.name, authorizationType: "NONE", invokeMode: "BUFFERED" },
            this.childOpts(),
        );
        new aws.lambda.Permission(
            this.childName("public-url"),
            { ...target, action: "lambda:InvokeFunctionUrl", principal: "*", functionUrlAuthType: "NONE" },
            this.childOpts(),
        );
        new aws.lambda.Permission(
            this.childName("public-invoke"),
            { ...target, action: "lambda:InvokeFunction", principal: "*", invokedViaFunctionUrl: true },
            this.childOpts(),
        );
        return url.functionUrl;
    }
}
