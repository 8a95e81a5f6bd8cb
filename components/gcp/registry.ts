import { MANAGED_BY, RunwayComponent } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems, Problem } from "../../rules/problems";
import { Tier, componentProfile, tierProblems } from "../../rules/profile";

export interface RegistryArgs {
    /** Region of the repository. @example "us-central1" */
    readonly location: pulumi.Input<string>;
    /** Project id. @default the provider's project */
    readonly project?: pulumi.Input<string>;
    /** Repository id. @default the component name */
    readonly repositoryId?: string;
    /** Tier whose presets fill the cleanup settings. @default "solo" */
    readonly tier?: Tier;
    /** Newest versions always kept. @default tier preset (5, 10, 30) */
    readonly keepCount?: number;
    /** Untagged images older than this many days are deleted. @default 7 */
    readonly untaggedImageDays?: number;
    /** Any image (tagged or not) older than this many days is deleted, except the `keepCount` newest. @default tier preset (30, 30, 90) */
    readonly imageRetentionDays?: number;
    /** Scan pushed images for vulnerabilities ($0.26 per new image; needs containerscanning.googleapis.com, see `requiredApis`). @default true */
    readonly vulnerabilityScanning?: boolean;
    /** `protect` the repository. @default tier preset (production only) */
    readonly protect?: boolean;
}

/**
 * The cleanup policies: delete untagged images after `untaggedDays` and any image (CI pushes
 * `:<sha>` tags) after `retentionDays`, but always keep the `keep` newest: when a version matches
 * a delete and a keep policy, Artifact Registry keeps it
 * (https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy-overview).
 */
export function cleanupPolicies(
    keep: number,
    untaggedDays: number,
    retentionDays: number,
): gcp.types.input.artifactregistry.RepositoryCleanupPolicy[] {
    return [
        { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: `${untaggedDays * 86400}s` } },
        {
            id: `delete-older-than-${retentionDays}d`,
            action: "DELETE",
            condition: { tagState: "ANY", olderThan: `${retentionDays * 86400}s` },
        },
        { id: `keep-newest-${keep}`, action: "KEEP", mostRecentVersions: { keepCount: keep } },
    ];
}

/** Short-lived push credentials for Artifact Registry: the deploying identity's OAuth access token. */
export interface RegistryCredentials {
    readonly registryServer: pulumi.Output<string>;
    readonly registryUsername: string;
    readonly registryPassword: pulumi.Output<string>;
}

/**
 * Credentials for pushing to `<location>-docker.pkg.dev` with the identity Pulumi runs as (in CI:
 * the OIDC-federated deployer). The token lives about an hour and is kept secret; no key is created.
 */
export function artifactRegistryCredentials(location: pulumi.Input<string>, opts?: pulumi.InvokeOutputOptions): RegistryCredentials {
    const client = gcp.organizations.getClientConfigOutput(opts);
    return {
        registryServer: pulumi.interpolate`${location}-docker.pkg.dev`,
        registryUsername: "oauth2accesstoken",
        registryPassword: pulumi.secret(client.accessToken),
    };
}

/**
 * An Artifact Registry Docker repository with cleanup policies and vulnerability scanning; push and
 * pull are granted on the repository only, with `grantPush` / `grantPull` once the identities exist.
 *
 * @example
 * const registry = new gcp.Registry("images", { location: "us-central1", tier: "staging" });
 * registry.grantPull("web", web.runtimeMember);
 * export const registryUrl = registry.url;
 */
export class Registry extends RunwayComponent {
    public readonly repository: gcp.artifactregistry.Repository;
    /** `<location>-docker.pkg.dev/<project>/<repository>`: prefix for image names. */
    public readonly url: pulumi.Output<string>;
    private readonly componentName: string;
    private readonly grantNames = new Set<string>();
    /** Grants made so far per kind (reader, writer): the position earlier releases named the next one by. */
    private readonly grantCounts = new Map<string, number>();

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Registry", name, opts);
        this.componentName = name;
        const preset = componentProfile(args.tier, "solo").settings;
        const keep = args.keepCount ?? preset?.registryKeepCount;
        const days = args.untaggedImageDays ?? preset?.untaggedImageDays;
        const retention = args.imageRetentionDays ?? preset?.imageRetentionDays;
        const problems: Problem[] = [];
        problems.push(...tierProblems(args.tier, `Registry(${name}).tier`));
        if (!Number.isInteger(keep) || keep < 1)
            problems.push({ key: `Registry(${name}).keepCount`, value: keep, allowed: "a whole number ≥ 1" });
        if (!Number.isInteger(days) || days < 1)
            problems.push({ key: `Registry(${name}).untaggedImageDays`, value: days, allowed: "a whole number of days ≥ 1" });
        if (!Number.isInteger(retention) || retention < 1)
            problems.push({ key: `Registry(${name}).imageRetentionDays`, value: retention, allowed: "a whole number of days ≥ 1" });
        this.refuse(problems);
        const protect = args.protect ?? preset.protect;

        this.repository = new gcp.artifactregistry.Repository(
            `${name}-repository`,
            {
                project: args.project,
                location: args.location,
                repositoryId: args.repositoryId ?? name,
                format: "DOCKER",
                description: "Container images deployed by Runway",
                cleanupPolicyDryRun: false,
                cleanupPolicies: cleanupPolicies(keep, days, retention),
                // INHERITED scans only while containerscanning.googleapis.com is enabled on the project.
                vulnerabilityScanningConfig: { enablementConfig: args.vulnerabilityScanning === false ? "DISABLED" : "INHERITED" },
                labels: { ...MANAGED_BY },
            },
            { parent: this, protect },
        );
        this.url = pulumi.interpolate`${this.repository.location}-docker.pkg.dev/${this.repository.project}/${this.repository.repositoryId}`;

        this.registerOutputs({ url: this.url });
    }

    /**
     * Lets `member` pull images (roles/artifactregistry.reader on this repository only), e.g. a
     * service's runtime identity created after the registry. The grant is a child of the registry
     * named `<registry>-reader-<key>`, aliased from `<registry>-reader-<n>` (the n-th pull grant: the
     * name it had when the registry took a member list), so a stack that upgrades replaces no grant.
     * @example registry.grantPull("web", web.runtimeMember)
     */
    public grantPull(
        key: string,
        member: pulumi.Input<string>,
        opts?: pulumi.CustomResourceOptions,
    ): gcp.artifactregistry.RepositoryIamMember {
        return this.grant("reader", REGISTRY_ROLES.pull, key, member, opts);
    }

    /**
     * Lets `member` push images (roles/artifactregistry.writer on this repository only), e.g. a CI
     * deployer. The grant is a child of the registry named `<registry>-writer-<key>`, aliased from
     * `<registry>-writer-<n>` (the n-th push grant), as `grantPull`.
     * @example registry.grantPush("ci", ci.deployerMembers[0])
     */
    public grantPush(
        key: string,
        member: pulumi.Input<string>,
        opts?: pulumi.CustomResourceOptions,
    ): gcp.artifactregistry.RepositoryIamMember {
        return this.grant("writer", REGISTRY_ROLES.push, key, member, opts);
    }

    private grant(kind: string, role: string, key: string, member: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
        const childName = `${this.componentName}-${kind}-${key}`;
        throwIfProblems(`Invalid grant on runway:gcp:Registry "${this.componentName}"`, [
            ...(GRANT_KEY.test(key)
                ? []
                : [
                      {
                          key: `Registry(${this.componentName}).grant${kind === "reader" ? "Pull" : "Push"}.key`,
                          value: key,
                          allowed: "lowercase letters, digits and hyphens",
                      },
                  ]),
            ...(this.grantNames.has(childName)
                ? [
                      {
                          key: `Registry(${this.componentName}).grant${kind === "reader" ? "Pull" : "Push"}.key`,
                          value: key,
                          allowed: "a key not used for this registry yet",
                      },
                  ]
                : []),
        ]);
        this.grantNames.add(childName);
        const n = this.grantCounts.get(kind) ?? 0;
        this.grantCounts.set(kind, n + 1);
        const positional = `${this.componentName}-${kind}-${n}`;
        const aliases = [...(opts?.aliases ?? []), ...(positional === childName ? [] : [{ name: positional }])];
        return new gcp.artifactregistry.RepositoryIamMember(
            childName,
            {
                project: this.repository.project,
                location: this.repository.location,
                repository: this.repository.name,
                role,
                member,
            },
            { ...opts, aliases, parent: this },
        );
    }
}

/** Predefined roles a grant gives, on the repository only (https://cloud.google.com/artifact-registry/docs/access-control#roles). */
export const REGISTRY_ROLES = { pull: "roles/artifactregistry.reader", push: "roles/artifactregistry.writer" } as const;
const GRANT_KEY = /^[a-z0-9][a-z0-9-]*$/;
