import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RunwayInputError, problemIf } from "../../rules/problems";
import { MANAGED_BY, RunwayComponent } from "../base";
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
export class Network extends RunwayComponent {
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
        super("runway:aws:Network", name, opts);
        const cidr = args.cidr ?? "10.0.0.0/16";
        const azCount = args.azCount ?? 2;
        this.refuse([
            ...checkVpcCidr(cidr, this.argKey("cidr")),
            ...azCountProblems(azCount, this.argKey("azCount")),
            ...(args.allowedCidrs ?? []).flatMap((c) =>
                problemIf(!parseCidr(c), this.argKey("allowedCidrs"), c, "IPv4 ranges such as 203.0.113.0/24"),
            ),
        ]);
        const plan = planSubnets(cidr, azCount);
        const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: AVAILABILITY_ZONE_FILTERS }, this.childOpts()).names;
        const zoneOf = (az: number) => zones.apply((z) => zoneFor(z, az, azCount));

        this.vpc = new aws.ec2.Vpc(
            this.childName("vpc"),
            { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name, ...MANAGED_BY } },
            this.childOpts(),
        );
        const igw = new aws.ec2.InternetGateway(this.childName("igw"), { vpcId: this.vpc.id }, this.childOpts());
        const publicSubnets = this.createPublicSubnets(plan.public, zoneOf, igw);
        const nat = natLayout(args.nat ?? "single", azCount);
        const gateways = Array.from({ length: nat.gateways }, (_, i) => this.createNatGateway(i, publicSubnets[i], igw));
        const privateSubnets = plan.private.map((range, az) => {
            const gateway = nat.routeOf(az);
            return this.createPrivateSubnet(az, range, zoneOf(az), gateway === undefined ? undefined : gateways[gateway]);
        });
        this.egressReady.push(...gateways);
        const groups = this.createSecurityGroups(cidr, args.servicePort ?? 8080, args.allowedCidrs ?? ["0.0.0.0/0"]);
        this.loadBalancerSecurityGroupId = groups.loadBalancer.id;
        this.serviceSecurityGroupId = groups.service.id;
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.registerOutputs({ vpcId: this.vpc.id, privateSubnetIds: this.privateSubnetIds });
    }

    /** One public subnet per zone, routed to the internet gateway (the load balancer and the NAT gateways live there). */
    private createPublicSubnets(
        ranges: readonly string[],
        zoneOf: (az: number) => pulumi.Output<string>,
        igw: aws.ec2.InternetGateway,
    ): aws.ec2.Subnet[] {
        const routes = new aws.ec2.RouteTable(
            this.childName("public"),
            { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] },
            this.childOpts(),
        );
        return ranges.map((range, az) => {
            const subnet = new aws.ec2.Subnet(
                this.childName(`public-${az}`),
                {
                    vpcId: this.vpc.id,
                    cidrBlock: range,
                    availabilityZone: zoneOf(az),
                    mapPublicIpOnLaunch: false,
                    tags: { Name: this.childName(`public-${az}`) },
                },
                this.childOpts(),
            );
            new aws.ec2.RouteTableAssociation(
                this.childName(`public-${az}`),
                { subnetId: subnet.id, routeTableId: routes.id },
                this.childOpts(),
            );
            return subnet;
        });
    }

    /** NAT gateway `i` (with its Elastic IP) in public subnet `i`. */
    private createNatGateway(i: number, subnet: aws.ec2.Subnet, igw: aws.ec2.InternetGateway): aws.ec2.NatGateway {
        const eip = new aws.ec2.Eip(this.childName(`nat-${i}`), { domain: "vpc" }, this.childOpts());
        return new aws.ec2.NatGateway(
            this.childName(`nat-${i}`),
            { allocationId: eip.id, subnetId: subnet.id },
            this.childOpts({ dependsOn: [igw] }),
        );
    }

    /** Private subnet `az`, routed through `gateway` (none: no internet); its route table joins `egressReady`. */
    private createPrivateSubnet(
        az: number,
        range: string,
        zone: pulumi.Output<string>,
        gateway: aws.ec2.NatGateway | undefined,
    ): aws.ec2.Subnet {
        const subnet = new aws.ec2.Subnet(
            this.childName(`private-${az}`),
            { vpcId: this.vpc.id, cidrBlock: range, availabilityZone: zone, tags: { Name: this.childName(`private-${az}`) } },
            this.childOpts(),
        );
        const routes = new aws.ec2.RouteTable(
            this.childName(`private-${az}`),
            { vpcId: this.vpc.id, routes: gateway === undefined ? [] : [{ cidrBlock: "0.0.0.0/0", natGatewayId: gateway.id }] },
            this.childOpts(),
        );
        const association = new aws.ec2.RouteTableAssociation(
            this.childName(`private-${az}`),
            { subnetId: subnet.id, routeTableId: routes.id },
            this.childOpts(),
        );
        this.egressReady.push(routes, association);
        return subnet;
    }

    /** The load balancer's group (HTTP/HTTPS from `allowedCidrs`, out to the service port) and the tasks' (that port from the load balancer only). */
    private createSecurityGroups(vpcCidr: string, port: number, allowedCidrs: string[]) {
        const loadBalancer = new aws.ec2.SecurityGroup(
            this.childName("load-balancer"),
            {
                vpcId: this.vpc.id,
                description: "Runway load balancer: HTTP and HTTPS from the allowed ranges",
                ingress: [80, 443].map((p) => ({ protocol: "tcp", fromPort: p, toPort: p, cidrBlocks: allowedCidrs })),
                egress: [{ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [vpcCidr] }],
            },
            this.childOpts(),
        );
        const service = new aws.ec2.SecurityGroup(
            this.childName("service"),
            {
                vpcId: this.vpc.id,
                description: "Runway service tasks: the service port from the load balancer only",
                ingress: [{ protocol: "tcp", fromPort: port, toPort: port, securityGroups: [loadBalancer.id] }],
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            },
            this.childOpts(),
        );
        return { loadBalancer, service };
    }
}
