/**
 * Policy config: one object of defaults per policy is the only copy. It feeds the policy's
 * `configSchema` (so `pulumi preview` and the Pulumi Cloud UI show the defaults) and is applied in
 * code, because the engine fills schema defaults but direct callers (tests, other engines) do not.
 */
import { PolicyConfigSchema } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

type Described = Omit<PolicyConfigJSONSchema, "default"> & { description: string };

/** Builds a configSchema whose `default`s are the given defaults. */
export function schemaWithDefaults<T extends object>(defaults: T, properties: { [K in keyof T]: Described }): PolicyConfigSchema {
    const out: Record<string, PolicyConfigJSONSchema> = {};
    for (const key of Object.keys(properties) as (keyof T & string)[]) {
        out[key] = { ...properties[key], default: defaults[key] as PolicyConfigJSONSchema["default"] };
    }
    return { properties: out };
}

/** The policy's config with defaults applied for every key the user left out. */
export function withDefaults<T extends object>(defaults: T, given: object | undefined): T {
    const out = { ...defaults } as Record<string, unknown>;
    for (const [key, value] of Object.entries(given ?? {})) {
        if (value !== undefined && value !== null && key !== "enforcementLevel") out[key] = value;
    }
    return out as T;
}
