import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true });
const front = new aws.ec2.Subnet("front", { vpcId: vpc.id, cidrBlock: "10.0.1.0/24", availabilityZone: "us-east-1a" });
const back = new aws.ec2.Subnet("back", { vpcId: vpc.id, cidrBlock: "10.0.2.0/24", availabilityZone: "us-east-1a" });
const sg = new aws.ec2.SecurityGroup("web", {
    vpcId: vpc.id,
    ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});

const ami = aws.ec2.getAmiOutput({
    mostRecent: true,
    owners: ["amazon"],
    filters: [{ name: "name", values: ["al2023-ami-*-x86_64"] }],
});

const nics = [front, back].map((subnet, i) => new aws.ec2.NetworkInterface(`nic${i}`, { subnetId: subnet.id, securityGroups: [sg.id] }));

const server = new aws.ec2.Instance("server", {
    ami: ami.id,
    instanceType: config.require("instanceType"),
    primaryNetworkInterface: { networkInterfaceId: nics[0].id },
    tags: { Name: "multi-nic" },
});
new aws.ec2.NetworkInterfaceAttachment("second", { instanceId: server.id, networkInterfaceId: nics[1].id, deviceIndex: 1 });

export const privateIp = server.privateIp;
