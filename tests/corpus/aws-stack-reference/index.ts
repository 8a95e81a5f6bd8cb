import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const network = new pulumi.StackReference(config.require("networkStack"));
const vpcId = network.requireOutput("vpcId");
const subnetIds = network.getOutput("privateSubnetIds");

const sg = new aws.ec2.SecurityGroup("db", { vpcId: vpcId.apply((id) => String(id)), description: "database access" });
new aws.rds.SubnetGroup("db", { subnetIds: subnetIds.apply((ids) => (ids ?? []) as string[]) });

if (pulumi.runtime.isDryRun()) {
    pulumi.log.info("preview: the network stack's outputs are read at update time");
}

export const securityGroupId = sg.id;
export const mode = pulumi.runtime.isDryRun() ? "preview" : "update";
