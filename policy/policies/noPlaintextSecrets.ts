import { ResourceValidationPolicy } from "@pulumi/policy";
import { schemaWithDefaults, withDefaults } from "../lib/config";
import { SECRET_ENV_LABEL, looksLikeSecret } from "../../rules/secretLike";
import { DOCKER_CONTAINER, WORKLOAD_TYPES, ecsContainerDefinitions, isKubernetesWorkload, kubernetesPodSpec } from "../lib/workloads";

type Props = Record<string, any>;

export interface NoPlaintextSecretsConfig {
    /** Env names that look secret but are public by design (e.g. a browser API key). */
    allowedNames: string[];
}

export const NO_PLAINTEXT_SECRETS_DEFAULTS: NoPlaintextSecretsConfig = { allowedNames: [] };

/** Env names a Docker container's label declares as wired from the stack's secrets. */
export function dockerSecretEnvNames(props: Props): string[] {
    const labels: Props[] = Array.isArray(props.labels) ? props.labels : [];
    const value = labels.find((l) => l?.label === SECRET_ENV_LABEL)?.value;
    return typeof value === "string"
        ? value
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
        : [];
}

/** Plain (name, value) env pairs a workload defines, with where they sit. */
export function plainEnv(type: string, props: Props): { path: string; name: string; value: string }[] {
    const pairs = (base: string, list: unknown, valueKey = "value") =>
        (Array.isArray(list) ? list : []).flatMap((e: Props, i: number) =>
            typeof e?.name === "string" && typeof e[valueKey] === "string"
                ? [{ path: `${base}[${i}]`, name: e.name, value: e[valueKey] as string }]
                : [],
        );
    const containers = (base: string, list: unknown, envKey: "envs" | "env") =>
        (Array.isArray(list) ? list : []).flatMap((c: Props, i: number) => pairs(`${base}[${i}].${envKey}`, c?.[envKey]));
    switch (type) {
        case "gcp:cloudrunv2/service:Service":
            return containers("template.containers", props.template?.containers, "envs");
        case "gcp:cloudrunv2/job:Job":
            return containers("template.template.containers", props.template?.template?.containers, "envs");
        case "gcp:cloudrun/service:Service":
            return containers("template.spec.containers", props.template?.spec?.containers, "envs");
        case "aws:ecs/taskDefinition:TaskDefinition":
            return ecsContainerDefinitions(props).flatMap((c, i) => pairs(`containerDefinitions[${i}].environment`, c.environment));
        case "aws:lambda/function:Function": {
            const variables = props.environment?.variables ?? {};
            return Object.entries(variables as Props).flatMap(([name, value]) =>
                typeof value === "string" ? [{ path: `environment.variables.${name}`, name, value }] : [],
            );
        }
        case "aws:ecs/expressGatewayService:ExpressGatewayService": {
            const primary = Array.isArray(props.primaryContainer) ? props.primaryContainer[0] : props.primaryContainer;
            return pairs("primaryContainer.environments", primary?.environments ?? primary?.environment);
        }
        case DOCKER_CONTAINER: {
            // Docker has no secret store without Swarm: names the stack wires from its secrets are
            // listed in a label (and encrypted in state); every other value is checked.
            const fromSecrets = new Set(dockerSecretEnvNames(props));
            return (Array.isArray(props.envs) ? props.envs : []).flatMap((entry: unknown, i: number) => {
                if (typeof entry !== "string" || entry.indexOf("=") <= 0) return [];
                const name = entry.slice(0, entry.indexOf("="));
                return fromSecrets.has(name) ? [] : [{ path: `envs[${i}]`, name, value: entry.slice(entry.indexOf("=") + 1) }];
            });
        }
        default: {
            const spec = kubernetesPodSpec(type, props);
            return spec ? containers("spec.containers", spec.containers, "env") : [];
        }
    }
}

/** Mandatory: credentials reach workloads through a secret store, never as plain env values. */
export const noPlaintextSecrets: ResourceValidationPolicy = {
    name: "no-plaintext-secret-env",
    description: "Service definitions carry no secret-looking plain environment values.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Store the value in Secret Manager / SSM Parameter Store and reference it (Cloud Run env valueSource.secretKeyRef, ECS `secrets`, Kubernetes secretKeyRef). With Runway: pulumi config set --secret --path 'runway:secrets.NAME' <value>.",
    configSchema: schemaWithDefaults(NO_PLAINTEXT_SECRETS_DEFAULTS, {
        allowedNames: {
            type: "array",
            items: { type: "string" },
            description: "Env names that look secret but are public by design (e.g. NEXT_PUBLIC_MAPS_API_KEY).",
        },
    }),
    validateResource: (args, reportViolation) => {
        const config = withDefaults(NO_PLAINTEXT_SECRETS_DEFAULTS, args.getConfig<Partial<NoPlaintextSecretsConfig>>());
        if (!WORKLOAD_TYPES.includes(args.type) && !isKubernetesWorkload(args.type)) args.notApplicable("not a workload definition");
        const env = plainEnv(args.type, args.props);
        for (const e of env) {
            if (!config.allowedNames.includes(e.name) && looksLikeSecret(e.name, e.value))
                reportViolation(
                    `${args.type} "${args.name}" sets ${e.name} as a plain value at ${e.path}; anyone who can read the service definition can read it.`,
                );
        }
    },
};
