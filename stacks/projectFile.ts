/**
 * The Pulumi project file of a Runway program: its typed `runway:*` config, one declaration per key
 * of keys.ts. Written as this repository's Pulumi.yaml (`npm run pulumi-yaml`) and as the one
 * `runway-iac init` scaffolds. Pulumi types only the keys of the project's own namespace (a key of
 * another namespace may only carry a value), so a project running this program is named `runway`.
 */
import { CONFIG_KEYS } from "./keys";

/** The project name the `runway:*` keys require to be typed in Pulumi.yaml. */
export const RUNWAY_PROJECT = "runway";

/** Pulumi.yaml's content for a project whose program is `main`. */
export function runwayProject(description: string, main: string): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const key of CONFIG_KEYS) {
        config[key.name] = {
            type: key.type,
            ...(key.type === "array" ? { items: { type: "string" } } : {}),
            description: key.description,
            default: key.default,
        };
    }
    return {
        name: RUNWAY_PROJECT,
        description,
        runtime: { name: "nodejs", options: { typescript: true, packagemanager: "npm" } },
        main,
        // Every up/preview/destroy reads the live resources first: CI deploys images and moves traffic
        // between ups, and ignoreChanges only keeps what state holds (see docs/day-two.md, "Who changes what").
        options: { refresh: "always" },
        config,
    };
}
