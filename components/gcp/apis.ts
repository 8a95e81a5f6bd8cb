import { RunwayComponent } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export type { ApiNeeds } from "../../rules/gcp/apis";
export { FOUNDATION_APIS, requiredApis } from "../../rules/gcp/apis";

export interface ApisArgs {
    /** Project id. */
    readonly project: pulumi.Input<string>;
    /** API service names. @example ["run.googleapis.com"] */
    readonly services: string[];
}

/**
 * Enables Google APIs on the project. Destroying the stack leaves them enabled: other workloads
 * in the project may rely on them.
 *
 * @example
 * const apis = new gcp.Apis("apis", { project, services: gcp.requiredApis({ network: true }) });
 * new gcp.Network("net", { region: "us-central1" }, { dependsOn: apis.services });
 */
export class Apis extends RunwayComponent {
    /** The enabled services, for `dependsOn`. */
    public readonly services: gcp.projects.Service[];

    constructor(name: string, args: ApisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Apis", name, opts);
        this.services = args.services.map(
            (service) =>
                new gcp.projects.Service(
                    `${name}-${service.split(".")[0]}`,
                    {
                        project: args.project,
                        service,
                        disableOnDestroy: false,
                        disableDependentServices: false,
                    },
                    { parent: this },
                ),
        );
        this.registerOutputs({ services: args.services });
    }
}
