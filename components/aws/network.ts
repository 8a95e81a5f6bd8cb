import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems } from "../errors";
import { NatStrategy, checkVpcCidr, natLayout, planSubnets } from "./plan";

export interface NetworkArgs {
    /** VPC range; public subnets take its first eighth, private ones its second half. @default "10.0.0.0/16" */
    readonly cidr?: string;
    /** Availability zones. @default 2 */
    readonly azCount?: number;
    /** none (private subnets without internet), single NAT (≈ $32.85/month), or one per AZ. @default "single" */
    readonly nat?: NatStrategy;
    /** Port the service listens on, opened to the VPC (the load balancer) only. @default 8080 */
    readonly servicePort?: number;
}

/**
 * A VPC across `azCount` zones with public and private subnets, an internet gateway, NAT by
 * strategy, and a security group for the service's tasks (ingress from the VPC only).
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

    constructor(name: string, args: NetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("runway:aws:Network", name, {}, opts);
        const cidr = args.cidr ?? "10.0.0.0/16";
        const azCount = args.azCount ?? 2;
        throwIfProblems(`Invalid arguments for runway:aws:Network "${name}"`, [
            ...checkVpcCidr(cidr, `Network(${name}).cidr`),
            ...(Number.isInteger(azCount) && azCount >= 2 && azCount <= 4 ? [] : [{ key: `Network(${name}).azCount`, value: azCount, allowed: "2 to 4 availability zones" }]),
        ]);
        const plan = planSubnets(cidr, azCount);
        const nat = natLayout(args.nat ?? "single", azCount);
        const parent = { parent: this };
        const zones = aws.getAvailabilityZonesOutput({ state: "available" }, parent).names;

        this.vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name, "managed-by": "runway" } }, parent);
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id }, parent);
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] }, parent);
        const publicSubnets = plan.public.map((range, az) => {
            const subnet = new aws.ec2.Subnet(`${name}-public-${az}`, { vpcId: this.vpc.id, cidrBlock: range, availabilityZone: zones[az], mapPublicIpOnLaunch: false, tags: { Name: `${name}-public-${az}` } }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-public-${az}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, parent);
            return subnet;
        });
        const gateways = Array.from({ length: nat.gateways }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc" }, parent);
            return new aws.ec2.NatGateway(`${name}-nat-${i}`, { allocationId: eip.id, subnetId: publicSubnets[i].id }, { parent: this, dependsOn: [igw] });
        });
        const privateSubnets = plan.private.map((range, az) => {
            const subnet = new aws.ec2.Subnet(`${name}-private-${az}`, { vpcId: this.vpc.id, cidrBlock: range, availabilityZone: zones[az], tags: { Name: `${name}-private-${az}` } }, parent);
            const gateway = nat.routeOf(az);
            const routes = new aws.ec2.RouteTable(`${name}-private-${az}`, {
                vpcId: this.vpc.id, routes: gateway === undefined ? [] : [{ cidrBlock: "0.0.0.0/0", natGatewayId: gateways[gateway].id }],
            }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-private-${az}`, { subnetId: subnet.id, routeTableId: routes.id }, parent);
            return subnet;
        });
        const sg = new aws.ec2.SecurityGroup(`${name}-service`, {
            vpcId: this.vpc.id,
            description: "Runway service tasks: ingress from the VPC (load balancer) only",
            ingress: [{ protocol: "tcp", fromPort: args.servicePort ?? 8080, toPort: args.servicePort ?? 8080, cidrBlocks: [cidr] }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        }, parent);
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.serviceSecurityGroupId = sg.id;
        this.registerOutputs({ vpcId: this.vpc.id, privateSubnetIds: this.privateSubnetIds });
    }
}
