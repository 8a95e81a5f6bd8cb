import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const apiKey = config.requireSecret("apiKey");
const oauth = config.requireObject<{ clientId: string; clientSecret: string }>("oauth");

const runtime = new gcp.serviceaccount.Account("worker", { accountId: "worker" });

const secrets: Record<string, pulumi.Input<string>> = {
    "api-key": apiKey,
    "oauth-client-secret": pulumi.secret(oauth.clientSecret),
};
for (const [id, value] of Object.entries(secrets)) {
    const secret = new gcp.secretmanager.Secret(id, { secretId: id, replication: { auto: {} } });
    new gcp.secretmanager.SecretVersion(id, { secret: secret.id, secretData: value });
    new gcp.secretmanager.SecretIamMember(`${id}-worker`, { secretId: secret.id, role: "roles/secretmanager.secretAccessor", member: runtime.member });
}

export const clientId = oauth.clientId;
