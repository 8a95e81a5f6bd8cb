"use strict";
// A cluster from a multi-language component package (like eks or awsx: its plugin creates the
// resources), its outputs passed into ordinary resources; and a lookup from another package whose
// nested result (like tls.getCertificate) gives an OIDC provider its thumbprint.
const aws = require("@pulumi/aws");
const platform = require("@acme/platform");
const certs = require("@acme/certs");

const cluster = new platform.Cluster("apps", { nodeCount: 3, version: "1.31" });
new aws.ec2.SecurityGroup("apps-extra", { vpcId: cluster.vpcId, description: "extra rules for the cluster" });
new aws.iam.RolePolicyAttachment("apps-nodes-ssm", { role: cluster.nodeRoleName, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });

module.exports = (async () => {
    const cert = await certs.getCertificate({ url: "https://oidc.example.com" });
    new aws.iam.OpenIdConnectProvider("oidc", {
        url: "https://oidc.example.com",
        clientIdLists: ["sts.amazonaws.com"],
        thumbprintLists: cert.certificates.map((c) => c.sha1Fingerprint),
    });
    return { kubeconfig: cluster.getKubeconfig().kubeconfig, endpoint: cluster.endpoint, issuer: cert.certificates[0].issuer };
})();
