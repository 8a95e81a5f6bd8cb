"use strict";
const fs = require("fs");
const path = require("path");
const gcp = require("@pulumi/gcp");

const nets = ["frontend", "backend"].map((role, i) => {
    const network = new gcp.compute.Network(role, { autoCreateSubnetworks: false });
    const subnet = new gcp.compute.Subnetwork(role, { network: network.id, ipCidrRange: `10.${i}.0.0/24`, region: "us-east1" });
    return { network, subnet };
});

new gcp.compute.Firewall("frontend-https", {
    network: nets[0].network.selfLink,
    allows: [{ protocol: "tcp", ports: ["443"] }],
    sourceRanges: ["0.0.0.0/0"],
    targetTags: ["web"],
});

const vm = new gcp.compute.Instance("router", {
    machineType: "e2-small",
    zone: "us-east1-b",
    tags: ["web"],
    canIpForward: true,
    bootDisk: { initializeParams: { image: "debian-cloud/debian-12" } },
    networkInterfaces: nets.map(({ subnet }, i) => ({ subnetwork: subnet.id, ...(i === 0 ? { accessConfigs: [{}] } : {}) })),
    metadataStartupScript: fs.readFileSync(path.join(__dirname, "startup.sh"), "utf8"),
    shieldedInstanceConfig: { enableSecureBoot: true },
});

exports.internalIps = vm.networkInterfaces.apply((nics) => nics.map((n) => n.networkIp));
