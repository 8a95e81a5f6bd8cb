import { RawConfig } from "../../stacks/config";

/** A valid solo config as Pulumi would pass it; `values` overrides or removes (undefined) keys. */
export function rawConfig(values: Record<string, string | undefined> = {}, secretKeys: string[] = []): RawConfig {
    const base: Record<string, string> = {
        "gcp:project": "acme-shop-dev",
        "gcp:region": "us-central1",
        "runway:tier": "solo",
        "runway:image": "us-docker.pkg.dev/cloudrun/container/hello:latest",
        "runway:billingAccount": "012345-6789AB-CDEF01",
        "runway:alertEmails": JSON.stringify(["ops@example.com"]),
    };
    for (const [k, v] of Object.entries(values)) {
        if (v === undefined) delete base[k];
        else base[k] = v;
    }
    return { values: base, secretKeys: new Set(secretKeys), stack: "dev", pulumiProject: "runway" };
}
