import { RunwayComponent } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../../rules/problems";

export interface ReleaseAccessArgs {
    /** Project id (of the job and of the metrics). */
    readonly project: pulumi.Input<string>;
    /** The deployer's email. */
    readonly deployerEmail: pulumi.Input<string>;
    /**
     * Unique per project, for the custom roles' ids (`[a-zA-Z0-9_]`; deleted role ids stay blocked for
     * 37 days, and re-creating one undeletes it). @example "app_production"
     */
    readonly roleSuffix: string;
    /** The migration job the deployer updates and runs, with exactly these `run.jobs.*` / `run.executions.*` permissions. @default none */
    readonly migrationJob?: { location: pulumi.Input<string>; name: pulumi.Input<string>; permissions: string[] };
    /** The metric reads of the canary gate (`monitoring.timeSeries.list`): granted on the project, the only scope they have. @default none */
    readonly metricReads?: string[];
}

/**
 * What a deployer needs for the release steps of its deploy job, and nothing else: a custom role on
 * the migration job only (point it at the new digest, run it, read its execution), and a custom
 * project role holding only the canary gate's metric reads (Cloud Monitoring grants
 * `monitoring.timeSeries.list` per project; it reads metrics, never logs or data). Acting as the
 * runtime identity the job runs as is the CI identity's grant already (the service runs as it too).
 *
 * @example
 * new gcp.ReleaseAccess("release", { project, deployerEmail: ci.deployerEmails.production, roleSuffix: "app_production",
 *     migrationJob: { location: region, name: job.jobName, permissions: ["run.jobs.run", "run.executions.get"] },
 *     metricReads: ["monitoring.timeSeries.list"] });
 */
export class ReleaseAccess extends RunwayComponent {
    constructor(name: string, args: ReleaseAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:ReleaseAccess", name, opts);
        validate(name, args);
        const parent = { parent: this };
        const member = pulumi.interpolate`serviceAccount:${args.deployerEmail}`;
        const role = (id: string, kind: string, title: string, permissions: string[]) =>
            new gcp.projects.IAMCustomRole(
                `${name}-${kind}-role`,
                {
                    project: args.project,
                    roleId: `${id}_${args.roleSuffix}`.slice(0, 64),
                    title,
                    description: "What the generated deploy job calls for it, nothing more.",
                    permissions: [...permissions].sort(),
                },
                parent,
            );
        const roleName = (r: gcp.projects.IAMCustomRole) => pulumi.interpolate`projects/${args.project}/roles/${r.roleId}`;
        if (args.migrationJob) {
            const job = args.migrationJob;
            const r = role("runwayMigrate", "migrate", "Runway deployer: run the migration job", job.permissions);
            new gcp.cloudrunv2.JobIamMember(
                `${name}-migrate`,
                { project: args.project, location: job.location, name: job.name, role: roleName(r), member },
                { ...parent, dependsOn: [r] },
            );
        }
        if (args.metricReads && args.metricReads.length > 0) {
            const r = role("runwayGate", "gate", "Runway deployer: read the canary's metrics", args.metricReads);
            new gcp.projects.IAMMember(`${name}-gate`, { project: args.project, role: roleName(r), member }, { ...parent, dependsOn: [r] });
        }
        this.registerOutputs({});
    }
}

function validate(name: string, args: ReleaseAccessArgs): void {
    const key = (field: string) => `ReleaseAccess(${name}).${field}`;
    const problems: Problem[] = [];
    if (!/^[a-zA-Z0-9_]{1,40}$/.test(args.roleSuffix))
        problems.push({ key: key("roleSuffix"), value: args.roleSuffix, allowed: "1-40 letters, digits or underscores" });
    const jobPermissions = args.migrationJob?.permissions ?? [];
    if (args.migrationJob && (jobPermissions.length === 0 || !jobPermissions.every((p) => /^run\.(jobs|executions)\.[a-zA-Z]+$/.test(p))))
        problems.push({
            key: key("migrationJob.permissions"),
            value: jobPermissions,
            allowed: "Cloud Run job permissions such as run.jobs.run (granted on the job)",
        });
    // Reads only: a project-wide grant must never write.
    for (const p of args.metricReads ?? [])
        if (!/^monitoring\.timeSeries\.list$/.test(p))
            problems.push({
                key: key("metricReads"),
                value: p,
                allowed: "monitoring.timeSeries.list (the only project-wide grant a deployer gets)",
            });
    throwIfProblems(`Invalid arguments for runway:gcp:ReleaseAccess "${name}"`, problems);
}
