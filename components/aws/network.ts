import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RunwayInputError, throwIfProblems } from "../../rules/problems";
import { parseCidr } from "../../rules/cidr";
import { NatStrategy } from "../../rules/profile";
import { azCountProblems, checkVpcCidr, natLayout, planSubnets } from "../../rules/aws/network";

export interface NetworkArgs {
    /** VPC range; public subnets take its first eighth, private ones its second half. @default "10.0.0.0/16" */
    readonly cidr?: string;
    /** Availability zones. @default 2 */
    readonly azCount?: number;
    /** none (private subnets without internet), single NAT (≈ $32.85/month), or one per AZ. @default "single" */
    readonly nat?: NatStrategy;
    /** Port the service listens on, opened to the load balancer's security group only. @default 8080 */
    readonly servicePort?: number;
    /** Who may reach the load balancer (ports 80 and 443). @default ["0.0.0.0/0"] @example ["203.0.113.0/24"] */
    readonly allowedCidrs?: string[];
}

/**
 * Zones a NAT gateway, RDS and ElastiCache run in: opted-in-by-default Availability Zones only, never
 * Local or Wavelength Zones (opt-in zones), https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html
 */
export const AVAILABILITY_ZONE_FILTERS = [
    { name: "opt-in-status", values: ["opt-in-not-required"] },
    { name: "zone-type", values: ["availability-zone"] },
];

/**
 * The zone of subnet `az`: a region with fewer usable zones than `azCount` (us-west-1 has two) would
 * otherwise get two subnets in one zone, which a load balancer refuses. Fails the preview instead.
 */
export function zoneFor(zones: readonly string[], az: number, azCount: number): string {
    if (zones.length < azCount) {
        throw new RunwayInputError("Invalid arguments for runway:aws:Network", [
            {
                key: "azCount",
                value: azCount,
                allowed: `at most ${zones.length}: the region has ${zones.length} usable availability zones (${zones.join(", ")}); use a region with more or lower the count`,
            },
        ]);
    }
    return zones[az];
}

/**
 * A VPC across `azCount` zones with public subnets (the load balancer, NAT) and private subnets
 * (tasks, data) that reach ECR, logs and SSM through NAT; a security group for the load balancer
 * (HTTP/HTTPS from `allowedCidrs`) and one for the tasks (the service port from the load balancer only).
 *
 * @example
 * const net = new aws.Network("net", { azCount: 3, nat: "perAz" });
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpc: aws.ec2.Vpc;
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];
    /** Security group of the service's tasks. */
    public readonly serviceSecurityGroupId: pulumi.Output<string>;
    /** Security group of the load balancer. */
    public readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    /** What the tasks need before they can pull their image: private route tables and NAT gateways (depend on these). */
    public readonly egressReady: pulumi.Resource[] = [];

    constructor(name: string, args: NetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Network", name, {}, opts);
        const cidr = args.cidr ?? "10.0.0.0/16";
        const azCount = args.azCount ?? 2;
        throwIfProblems(`Invalid arguments for runway:aws:Network "${name}"`, [
            ...checkVpcCidr(cidr, `Network(${name}).cidr`),
            ...azCountProblems(azCount, `Network(${name}).azCount`),
            ...(args.allowedCidrs ?? []).flatMap((c) =>
                parseCidr(c) ? [] : [{ key: `Network(${name}).allowedCidrs`, value: c, allowed: "IPv4 ranges such as 203.0.113.0/24" }],
            ),
        ]);
        const plan = planSubnets(cidr, azCount);
        const nat = natLayout(args.nat ?? "single", azCount);
        const parent = { parent: this };
        const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: AVAILABILITY_ZONE_FILTERS }, parent).names;

        this.vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name, "managed-by": "runway" } },
            parent,
        );
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id }, parent);
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public`,
            { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] },
            parent,
        );
        const publicSubnets = plan.public.map((range, az) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-public-${az}`,
                {
                    vpcId: this.vpc.id,
                    cidrBlock: range,
                    availabilityZone: zones.apply((z) => zoneFor(z, az, azCount)),
                    mapPublicIpOnLaunch: false,
                    tags: { Name: `${name}-public-${az}` },
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(`${name}-public-${az}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, parent);
            return subnet;
        });
        const gateways = Array.from({ length: nat.gateways }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc" }, parent);
            return new aws.ec2.NatGateway(
                `${name}-nat-${i}`,
                { allocationId: eip.id, subnetId: publicSubnets[i].id },
                { parent: this, dependsOn: [igw] },
            );
        });
        const privateSubnets = plan.private.map((range, az) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-private-${az}`,
                {
                    vpcId: this.vpc.id,
                    cidrBlock: range,
                    availabilityZone: zones.apply((z) => zoneFor(z, az, azCount)),
                    tags: { Name: `${name}-private-${az}` },
                },
                parent,
            );
            const gateway = nat.routeOf(az);
            const routes = new aws.ec2.RouteTable(
                `${name}-private-${az}`,
                {
                    vpcId: this.vpc.id,
                    routes: gateway === undefined ? [] : [{ cidrBlock: "0.0.0.0/0", natGatewayId: gateways[gateway].id }],
                },
                parent,
            );
            const association = new aws.ec2.RouteTableAssociation(
                `${name}-private-${az}`,
                { subnetId: subnet.id, routeTableId: routes.id },
                parent,
            );
            this.egressReady.push(routes, association);
            return subnet;
        });
        this.egressReady.push(...gateways);
        const port = args.servicePort ?? 8080;
        const lbSg = new aws.ec2.SecurityGroup(
            `${name}-load-balancer`,
            {
                vpcId: this.vpc.id,
                description: "Runway load balancer: HTTP and HTTPS from the allowed ranges",
                ingress: [80, 443].map((p) => ({
                    protocol: "tcp",
                    fromPort: p,
                    toPort: p,
                    cidrBlocks: args.allowedCidrs ?? ["0.0.0.0/0"],
                })),
                egress: [{ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [cidr] }],
            },
            parent,
        );
        const sg = new aws.ec2.SecurityGroup(
            `${name}-service`,
            {
                vpcId: this.vpc.id,
                description: "Runway service tasks: the service port from the load balancer only",
                ingress: [{ protocol: "tcp", fromPort: port, toPort: port, securityGroups: [lbSg.id] }],
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            },
            parent,
        );
        this.loadBalancerSecurityGroupId = lbSg.id;
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.serviceSecurityGroupId = sg.id;
        this.registerOutputs({ vpcId: this.vpc.id, privateSubnetIds: this.privateSubnetIds });
    }
}
