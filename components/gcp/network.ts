import { RunwayComponent } from "../base";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { checkPrivateCidr } from "../../rules/cidr";
import { DEFAULT_SUBNET_CIDR, MIN_SUBNET_PREFIX, subnetCapacityProblems, subnetCidrFor } from "../../rules/gcp/directVpc";
import { Problem } from "../../rules/problems";

export interface NetworkArgs {
    /** Region of the subnet. @example "us-central1" */
    readonly region: pulumi.Input<string>;
    /** Project id. @default the provider's project */
    readonly project?: pulumi.Input<string>;
    /**
     * Cloud Run instances that egress through the subnet at most (the sum of every attached
     * service's `maxInstances`): the subnet must hold 4 addresses per instance (~2 each, twice
     * during a rollout). Sizes the default `subnetCidr` and is checked against a given one. Size it for
     * the most you will ever run (e.g. the Direct VPC instance quota): lowering it later shrinks the
     * range, which replaces the subnet, and the new range overlaps the old one still in use (`up` fails).
     * @default none: the subnet is not sized (10.8.0.0/24 holds 63 instances)
     */
    readonly maxInstances?: number;
    /**
     * Primary range of the subnet Cloud Run's Direct VPC egress takes addresses from (at least /26).
     * A larger range later grows the subnet in place; a smaller one replaces it.
     * @default "10.8.0.0/24", or larger when `maxInstances` needs it (100 instances: /23)
     */
    readonly subnetCidr?: string;
    /** Add a Cloud Router + Cloud NAT with a reserved address (≈ $4.75/month + $0.045/GiB). @default false */
    readonly staticEgressIp?: boolean;
    /**
     * Private services access (a /16 peering range + a Service Networking connection, free) so
     * Cloud SQL and Memorystore get private IPs in this VPC. @default false
     */
    readonly privateServicesAccess?: boolean;
}

/** Problems with a subnet range, or none. Pure. */
export function checkSubnetCidr(cidr: string, key: string): Problem[] {
    return checkPrivateCidr(
        cidr,
        key,
        8,
        MIN_SUBNET_PREFIX,
        `${DEFAULT_SUBNET_CIDR} (Direct VPC egress needs at least /${MIN_SUBNET_PREFIX})`,
    );
}

/** The subnet range a Network uses: the given one, else one sized for `maxInstances`, else the default. Pure. */
export function networkSubnetCidr(args: Pick<NetworkArgs, "subnetCidr" | "maxInstances">): string {
    return args.subnetCidr ?? (args.maxInstances === undefined ? DEFAULT_SUBNET_CIDR : subnetCidrFor(args.maxInstances));
}

/**
 * A custom-mode VPC with one regional subnet for Cloud Run Direct VPC egress (no connector to pay
 * for), private Google access, and optionally Cloud NAT with a reserved egress IP.
 *
 * @example
 * const net = new gcp.Network("net", { region: "us-central1" });
 * new gcp.Service("web", { ..., vpcNetwork: net.networkId, vpcSubnetwork: net.subnetworkId });
 */
export class Network extends RunwayComponent {
    public readonly network: gcp.compute.Network;
    public readonly subnetwork: gcp.compute.Subnetwork;
    /** The reserved egress address, when `staticEgressIp`. */
    public readonly egressAddress?: gcp.compute.Address;
    public readonly networkId: pulumi.Output<string>;
    public readonly subnetworkId: pulumi.Output<string>;
    /** The private services connection: managed databases and caches depend on it. */
    public readonly privateServicesConnection?: gcp.servicenetworking.Connection;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("runway:gcp:Network", name, opts);
        const cidr = networkSubnetCidr(args);
        this.refuse([
            ...checkSubnetCidr(cidr, `Network(${name}).subnetCidr`),
            ...(args.maxInstances === undefined ? [] : subnetCapacityProblems(cidr, args.maxInstances, `Network(${name}).subnetCidr`)),
        ]);

        this.network = new gcp.compute.Network(
            `${name}-vpc`,
            {
                project: args.project,
                autoCreateSubnetworks: false,
                routingMode: "REGIONAL",
                description: "Runway VPC for Cloud Run Direct VPC egress",
            },
            { parent: this },
        );
        this.subnetwork = new gcp.compute.Subnetwork(
            `${name}-subnet`,
            {
                project: args.project,
                region: args.region,
                network: this.network.id,
                ipCidrRange: cidr,
                privateIpGoogleAccess: true,
            },
            { parent: this },
        );

        if (args.staticEgressIp) this.egressAddress = this.createStaticEgress(args);
        if (args.privateServicesAccess) this.privateServicesConnection = this.createPrivateServicesAccess(args);
        this.networkId = this.network.id;
        this.subnetworkId = this.subnetwork.id;
        this.registerOutputs({ networkId: this.networkId, subnetworkId: this.subnetworkId, egressIp: this.egressAddress?.address });
    }
    /** A Cloud NAT on the subnet with one reserved address: the service's static egress IP. */
    private createStaticEgress(args: NetworkArgs): gcp.compute.Address {
        const router = new gcp.compute.Router(
            this.childName("router"),
            { project: args.project, region: args.region, network: this.network.id },
            this.childOpts(),
        );
        const address = new gcp.compute.Address(
            this.childName("egress-ip"),
            {
                project: args.project,
                region: args.region,
                addressType: "EXTERNAL",
                description: "Static egress IP of the Cloud Run service",
            },
            this.childOpts(),
        );
        new gcp.compute.RouterNat(
            this.childName("nat"),
            {
                project: args.project,
                region: args.region,
                router: router.name,
                natIpAllocateOption: "MANUAL_ONLY",
                natIps: [address.selfLink],
                sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
                subnetworks: [{ name: this.subnetwork.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
                logConfig: { enable: true, filter: "ERRORS_ONLY" },
            },
            this.childOpts(),
        );
        return address;
    }

    /** A /16 peered with Google's service producers: Cloud SQL and Memorystore get private addresses there. */
    private createPrivateServicesAccess(args: NetworkArgs): gcp.servicenetworking.Connection {
        return privateServicesAccess(this.baseName, args.project, this.network.id, this, [this.subnetwork]);
    }
}

/**
 * Private services access on `network`: a /16 peering range and the Service Networking connection, so
 * Cloud SQL and Memorystore get private IPs there. Free. Children are named `<name>-psa-range` and
 * `<name>-psa` under `parent`. Google picks a free /16 from what the VPC holds when the range is
 * allocated: pass the VPC's `subnets` so it is allocated after them and the two never race for the same
 * addresses on the first up.
 */
export function privateServicesAccess(
    name: string,
    project: pulumi.Input<string> | undefined,
    network: pulumi.Input<string>,
    parent: pulumi.Resource,
    subnets: pulumi.Resource[],
): gcp.servicenetworking.Connection {
    const range = new gcp.compute.GlobalAddress(
        `${name}-psa-range`,
        {
            project,
            network,
            purpose: "VPC_PEERING",
            addressType: "INTERNAL",
            prefixLength: 16,
            description: "Private services access for Cloud SQL and Memorystore",
        },
        { parent, dependsOn: subnets },
    );
    return new gcp.servicenetworking.Connection(
        `${name}-psa`,
        {
            network,
            service: "servicenetworking.googleapis.com",
            reservedPeeringRanges: [range.name],
            // Deleting the connection fails while Cloud SQL's producer network lingers after the
            // instance is gone (up to 4 days); abandoning it leaves the peering on the VPC, which
            // docs/day-two.md says how to remove before destroying the VPC.
            deletionPolicy: "ABANDON",
        },
        { parent },
    );
}
