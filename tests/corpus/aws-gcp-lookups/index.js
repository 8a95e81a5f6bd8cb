"use strict";
// Every resource here is built from what a lookup returns, the way programs read lookups:
// lists sliced and mapped, the first organization root, an AMI id, a version list, a project number.
const aws = require("@pulumi/aws");
const gcp = require("@pulumi/gcp");

module.exports = async () => {
    const subnets = await aws.ec2.getSubnets({ filters: [{ name: "tag:tier", values: ["private"] }] });
    const table = new aws.ec2.RouteTable("private", { vpcId: "vpc-0123456789abcdef0" });
    subnets.ids.slice(0, 2).forEach((id, i) => new aws.ec2.RouteTableAssociation(`private-${i}`, { subnetId: id, routeTableId: table.id }));

    const org = await aws.organizations.getOrganization({});
    const root = org.roots[0];
    const guardrails = new aws.organizations.Policy("guardrails", {
        type: "SERVICE_CONTROL_POLICY",
        content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" }] }),
    });
    new aws.organizations.PolicyAttachment("guardrails-root", { policyId: guardrails.id, targetId: root.id });
    for (const type of root.policyTypes.filter((t) => t.status !== "DISABLED")) new aws.organizations.Policy(`audit-${type.type}`, { content: "{}", type: "TAG_POLICY" });

    const ami = await aws.ec2.getAmi({ owners: ["amazon"], mostRecent: true, filters: [{ name: "name", values: ["al2023-ami-*-x86_64"] }] });
    new aws.ec2.LaunchTemplate("workers", { imageId: ami.id, instanceType: "t3.micro", blockDeviceMappings: ami.blockDeviceMappings.map((b) => ({ deviceName: b.deviceName })) });

    const versions = await gcp.container.getEngineVersions({ location: "europe-west1" });
    const project = await gcp.organizations.getProject({});
    new gcp.container.Cluster("gke", {
        location: "europe-west1",
        minMasterVersion: versions.validMasterVersions[0],
        initialNodeCount: 1,
        resourceLabels: { project: project.number },
    });
    return { subnets: subnets.ids.length, root: root.id, projectNumber: project.number };
};
