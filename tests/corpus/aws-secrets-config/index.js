"use strict";
const aws = require("@pulumi/aws");
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config();
const dbPassword = config.requireSecret("dbPassword");
// `pulumi config set --path --secret app.stripe.secretKey ...`: the whole object is secret.
const app = config.requireSecretObject("app");

new aws.ssm.Parameter("dbPassword", { type: "SecureString", name: "/shop/db/password", value: dbPassword });

const stripe = new aws.secretsmanager.Secret("stripe", { name: pulumi.interpolate`${app.apply((a) => a.name)}/stripe` });
new aws.secretsmanager.SecretVersion("stripe", {
    secretId: stripe.id,
    secretString: app.apply((a) => JSON.stringify(a.stripe)),
});

exports.publishableKey = app.apply((a) => a.stripe.publishableKey);
exports.secretArn = stripe.arn;
