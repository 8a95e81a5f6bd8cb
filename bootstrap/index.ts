/**
 * Runway's bootstrap: the bucket that holds Pulumi state and the key that encrypts stack secrets
 * (and, on AWS, the account's GitHub OIDC provider), created once per project/account from a local
 * file backend, before the first `pulumi up` of the Runway program. Outputs the exact `pulumi login`
 * and `pulumi stack init` commands.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as awsBackend from "./aws";
import type * as gcpBackend from "./gcp";
import { guardPlaceholders, placeholdersIn } from "../rules/placeholders";
import { parseBootstrapConfig } from "./settings";

// Each cloud's module is loaded only for its stacks: a project that installed one cloud's provider
// (`runway-iac init --cloud gcp` installs no @pulumi/aws) runs the bootstrap of that cloud.
const loadAws = (): typeof awsBackend => require("./aws");
const loadGcp = (): typeof gcpBackend => require("./gcp");

export = async () => {
    const values = pulumi.runtime.allConfig();
    const cfg = parseBootstrapConfig(values);
    // The example stack files' sample project and deployers: a warning offline, refused by a real `pulumi up`.
    guardPlaceholders(placeholdersIn(values, pulumi.getProject()), pulumi.runtime.isDryRun(), (m) => pulumi.log.warn(m));
    const common = {
        bucketName: cfg.bucketName,
        deployers: cfg.deployers,
        previewers: cfg.previewers,
        previewProject: cfg.previewProject,
        noncurrentVersionDays: cfg.noncurrentVersionDays,
        keyRotationDays: cfg.keyRotationDays,
    };
    const backend =
        cfg.cloud === "gcp"
            ? new (loadGcp().GcpStateBackend)("backend", { project: cfg.project, region: cfg.region, ...common })
            : new (loadAws().AwsStateBackend)("backend", { region: cfg.region, ...common });
    const oidc = cfg.cloud === "aws" && cfg.githubOidcProvider ? new (loadAws().GithubOidcProvider)("github-oidc") : undefined;
    const commands = backend.commands();
    return {
        cloud: cfg.cloud,
        stateBucket: backend.bucketName,
        loginCommand: commands.login,
        stackInitCommands: commands.stackInit,
        ...(cfg.previewers.length > 0 ? { changeSecretsProviderCommands: commands.apply((c) => c.changeSecretsProvider) } : {}),
        secretsProvider: backend.secretsProvider,
        ...(oidc ? { githubOidcProviderArn: oidc.arn } : {}),
    };
};
