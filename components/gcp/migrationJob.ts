import { MANAGED_BY, RunwayComponent } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../../rules/problems";
import { MIGRATION_TIMEOUT_MINUTES, parseMigrationCommand } from "../../rules/release";
import { containerEnvs } from "./service";

export interface MigrationJobArgs {
    /** Cloud Run region (the service's). @example "us-central1" */
    readonly region: pulumi.Input<string>;
    /** Project id. @default the provider's project */
    readonly project?: pulumi.Input<string>;
    /** Job name, unique in the project and region. @example "shop-production-migrate" */
    readonly jobName: string;
    /** The service's image: the deploy workflow sets each new digest before it runs the job. */
    readonly image: pulumi.Input<string>;
    /** The command, as a list of words, the program first (no shell). @example ["npm", "run", "migrate"] */
    readonly command: string[];
    /** Email of the service account the job runs as: the service's runtime identity, which already reads its secrets. */
    readonly serviceAccount: pulumi.Input<string>;
    /** Plain env vars (the service's). @default {} */
    readonly env?: Record<string, pulumi.Input<string>>;
    /** Env name → Secret Manager secret id, read at `latest` (the service's). @default {} */
    readonly secretEnv?: Record<string, pulumi.Input<string>>;
    /** What the secrets' values and the runtime identity's grants are held in: the job waits for them. @default [] */
    readonly dependsOn?: pulumi.Resource[];
    /** VPC network for Direct VPC egress (the service's, to reach a private database). @default none */
    readonly vpcNetwork?: pulumi.Input<string>;
    /** Subnetwork for Direct VPC egress. @default none (required with `vpcNetwork`) */
    readonly vpcSubnetwork?: pulumi.Input<string>;
    /** @default "PRIVATE_RANGES_ONLY" */
    readonly vpcEgress?: "PRIVATE_RANGES_ONLY" | "ALL_TRAFFIC";
    /** vCPUs of the task. @default "1" */
    readonly cpu?: string;
    /** Memory of the task. @default "512Mi" */
    readonly memory?: string;
    /** Leave the image to CI (it sets the digest it migrates with): `pulumi up` does not reset it. @default false */
    readonly ignoreImageChanges?: boolean;
}

/**
 * The database migration as a Cloud Run job: one task, no retries (a half-applied migration is not
 * retried blindly), with the service's image, runtime identity, env, secrets and VPC egress, so it
 * reaches the database exactly as the service does. The deploy workflow points it at the scanned
 * digest and runs it (`gcloud run jobs execute --wait`) before any traffic moves; a failed execution
 * stops the deploy. Costs only while it runs (Cloud Run jobs bill CPU and memory per second).
 *
 * @example
 * new gcp.MigrationJob("migrate", { region, jobName: "shop-production-migrate", image, command: ["npm", "run", "migrate"],
 *     serviceAccount: app.runtimeServiceAccount.email, secretEnv: secrets.secretIds });
 */
export class MigrationJob extends RunwayComponent {
    /** The Cloud Run job. */
    public readonly job: gcp.cloudrunv2.Job;
    /** The job's name, for `gcloud run jobs execute`. */
    public readonly jobName: pulumi.Output<string>;

    constructor(name: string, args: MigrationJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:MigrationJob", name, opts);
        validate(name, args);
        this.job = new gcp.cloudrunv2.Job(
            `${name}-job`,
            {
                name: args.jobName,
                project: args.project,
                location: args.region,
                // Nothing to keep: the job holds no data, and the service's protection guards the stack.
                deletionProtection: false,
                labels: { ...MANAGED_BY },
                template: {
                    taskCount: 1,
                    parallelism: 1,
                    template: {
                        serviceAccount: args.serviceAccount,
                        maxRetries: 0,
                        timeout: `${MIGRATION_TIMEOUT_MINUTES * 60}s`,
                        vpcAccess:
                            args.vpcNetwork === undefined
                                ? undefined
                                : {
                                      egress: args.vpcEgress ?? "PRIVATE_RANGES_ONLY",
                                      networkInterfaces: [{ network: args.vpcNetwork, subnetwork: args.vpcSubnetwork }],
                                  },
                        containers: [
                            {
                                image: args.image,
                                // `commands` replaces the image's ENTRYPOINT, and without `args` its CMD too.
                                commands: args.command,
                                envs: containerEnvs(args),
                                resources: { limits: { cpu: args.cpu ?? "1", memory: args.memory ?? "512Mi" } },
                            },
                        ],
                    },
                },
            },
            {
                parent: this,
                dependsOn: args.dependsOn ?? [],
                ignoreChanges: args.ignoreImageChanges ? ["template.template.containers[0].image", "client", "clientVersion"] : undefined,
            },
        );
        this.jobName = this.job.name;
        this.registerOutputs({ jobName: this.jobName });
    }
}

/** Cloud Run job names: lowercase letters, digits and single hyphens, a letter first, at most 63 characters. */
const JOB_NAME = /^(?!.*--)[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

function validate(name: string, args: MigrationJobArgs): void {
    const key = (field: string) => `MigrationJob(${name}).${field}`;
    const problems: Problem[] = [];
    if (!JOB_NAME.test(args.jobName))
        problems.push({ key: key("jobName"), value: args.jobName, allowed: "lowercase letters, digits and single hyphens, at most 63" });
    problems.push(...parseMigrationCommand(JSON.stringify(args.command ?? null), key("command")).problems);
    if ((args.vpcNetwork === undefined) !== (args.vpcSubnetwork === undefined))
        problems.push({
            key: key("vpcSubnetwork"),
            value: args.vpcSubnetwork,
            allowed: "vpcNetwork and vpcSubnetwork together, or neither",
        });
    throwIfProblems(`Invalid arguments for runway:gcp:MigrationJob "${name}"`, problems);
}
