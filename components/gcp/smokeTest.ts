import { RunwayComponent } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { RunwayInputError } from "../../rules/problems";

/** Role a deployer needs on itself to sign the JWT it presents to IAP (`iam.serviceAccounts.signJwt`). */
export const SELF_SIGN_ROLE = "roles/iam.serviceAccountTokenCreator";
/** Role IAP checks before it lets a caller through. */
export const IAP_ACCESSOR_ROLE = "roles/iap.httpsResourceAccessor";

export interface SmokeTestAccessArgs {
    /** The deployer service account's resource name (`projects/<p>/serviceAccounts/<email>`). */
    readonly deployer: pulumi.Input<string>;
    /** The deployer service account's email. */
    readonly deployerEmail: pulumi.Input<string>;
    /** IAP on the Cloud Run service itself: the service to admit the deployer to. @default none */
    readonly cloudRunService?: { project: pulumi.Input<string>; location: pulumi.Input<string>; name: pulumi.Input<string> };
    /** IAP on the load balancer: the edge's backend service to admit the deployer to. @default none */
    readonly backendService?: { project: pulumi.Input<string>; name: pulumi.Input<string> };
}

/**
 * What a deployer needs to smoke-test a service behind IAP over HTTP, and nothing else: sign a JWT
 * as itself (`roles/iam.serviceAccountTokenCreator` on its own account only: it can mint nothing for
 * any other identity) and pass IAP on that one service (`roles/iap.httpsResourceAccessor` on the
 * Cloud Run service, or on the edge's backend service). IAP with Google's managed OAuth client takes
 * a service account's self-signed JWT whose `aud` is the URL called
 * (cloud.google.com/iap/docs/authentication-howto); programmatic ID tokens need a custom client.
 *
 * @example
 * new gcp.SmokeTestAccess("smoke", { deployer: ci.deployers.staging.name, deployerEmail: ci.deployerEmails.staging,
 *     cloudRunService: { project, location: region, name: service.serviceName } });
 */
export class SmokeTestAccess extends RunwayComponent {
    constructor(name: string, args: SmokeTestAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:SmokeTestAccess", name, opts);
        if ((args.cloudRunService === undefined) === (args.backendService === undefined)) {
            throw new RunwayInputError(`Invalid arguments for runway:gcp:SmokeTestAccess "${name}"`, [
                {
                    key: `SmokeTestAccess(${name})`,
                    value: Object.keys(args).filter((k) => k.endsWith("Service")),
                    allowed: "exactly one of cloudRunService (IAP on the service) or backendService (IAP on the load balancer)",
                },
            ]);
        }
        const parent = { parent: this };
        const member = pulumi.interpolate`serviceAccount:${args.deployerEmail}`;
        new gcp.serviceaccount.IAMMember(`${name}-sign-jwt`, { serviceAccountId: args.deployer, role: SELF_SIGN_ROLE, member }, parent);
        if (args.cloudRunService) {
            const s = args.cloudRunService;
            new gcp.iap.WebCloudRunServiceIamMember(
                `${name}-iap-access`,
                { project: s.project, location: s.location, cloudRunServiceName: s.name, role: IAP_ACCESSOR_ROLE, member },
                parent,
            );
        } else {
            const b = args.backendService!;
            new gcp.iap.WebBackendServiceIamMember(
                `${name}-iap-access`,
                { project: b.project, webBackendService: b.name, role: IAP_ACCESSOR_ROLE, member },
                parent,
            );
        }
        this.registerOutputs({});
    }
}
