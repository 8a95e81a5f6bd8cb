/**
 * Pure decisions for the AWS flavour: tier presets, the subnet plan, IAM policy documents and the
 * ECR lifecycle policy. Resources are created elsewhere; everything here is data in, data out.
 */
import { checkPrivateCidr, formatCidr, parseCidr } from "../cidr";
import { Problem } from "../errors";
import { Tier } from "../tiers";

export type NatStrategy = "none" | "single" | "perAz";

/** What a tier decides on AWS beyond the shared settings (budget, registry keep count, protect). */
export interface AwsTierSettings {
    /** Fargate CPU units (256 = 0.25 vCPU). Fargate cannot scale to zero: the solo task alone is ≈ $9/month. */
    readonly cpu: number;
    /** Task memory in MiB. */
    readonly memory: number;
    readonly minTasks: number;
    readonly maxTasks: number;
    /** none: no VPC of ours (the default VPC, public IPs); single: one NAT (≈ $32.85/month + $0.045/GB); perAz: one per AZ. */
    readonly nat: NatStrategy;
    readonly azCount: number;
    readonly logRetentionDays: number;
}

export const AWS_TIER_PRESETS: Readonly<Record<Tier, AwsTierSettings>> = {
    /** One 0.25 vCPU / 0.5 GB task ≈ $9.01/month (Fargate has no scale-to-zero), no NAT. */
    solo: { cpu: 256, memory: 512, minTasks: 1, maxTasks: 2, nat: "none", azCount: 2, logRetentionDays: 7 },
    /** One 0.5 vCPU / 1 GB task ≈ $18.02/month plus one NAT gateway ≈ $32.85/month. */
    staging: { cpu: 512, memory: 1024, minTasks: 1, maxTasks: 4, nat: "single", azCount: 2, logRetentionDays: 14 },
    /** Two 1 vCPU / 2 GB tasks ≈ $72.08/month plus three NAT gateways ≈ $98.55/month. */
    production: { cpu: 1024, memory: 2048, minTasks: 2, maxTasks: 20, nat: "perAz", azCount: 3, logRetentionDays: 90 },
};

/** Splits an IPv4 CIDR into `count` equal subnets of `newBits` more prefix bits, starting at subnet `offset`. */
function split(cidr: string, newBits: number, count: number, offset: number): string[] {
    const { base, prefix } = parseCidr(cidr)!;
    const size = 2 ** (32 - prefix - newBits);
    return Array.from({ length: count }, (_, i) => formatCidr(base + (offset + i) * size, prefix + newBits));
}

export interface SubnetPlan {
    readonly public: string[];
    readonly private: string[];
}

/** Problems with a VPC range: a private /16-/24 on its own boundary. */
export function checkVpcCidr(cidr: string, key: string): Problem[] {
    return checkPrivateCidr(cidr, key, 16, 24, "10.0.0.0/16");
}

/**
 * Public subnets take the first eighth of the VPC range, private subnets the second half: each AZ
 * gets one of each, no two overlap, and all fit in the VPC.
 * @example planSubnets("10.0.0.0/16", 2) → public 10.0.0.0/20, 10.0.16.0/20; private 10.0.128.0/19, 10.0.160.0/19
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
    if (azCount < 1 || azCount > 4) throw new Error(`azCount ${azCount}: 1 to 4 availability zones`);
    return { public: split(vpcCidr, 4, azCount, 0), private: split(vpcCidr, 3, azCount, 4) };
}

/** NAT gateways to create and which one each private subnet routes through. */
export function natLayout(strategy: NatStrategy, azCount: number): { gateways: number; routeOf: (az: number) => number | undefined } {
    if (strategy === "none") return { gateways: 0, routeOf: () => undefined };
    if (strategy === "single") return { gateways: 1, routeOf: () => 0 };
    return { gateways: azCount, routeOf: (az) => az };
}

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** Trust policy of a deploy role: GitHub's OIDC provider, aud = sts.amazonaws.com, sub = exactly one branch or environment. */
export function githubTrustPolicy(providerArn: string, owner: string, repo: string, target: { branch?: string; environment?: string }): string {
    const sub = target.environment ? `repo:${owner}/${repo}:environment:${target.environment}` : `repo:${owner}/${repo}:ref:refs/heads/${target.branch}`;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: providerArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com", [`${GITHUB_OIDC_HOST}:sub`]: sub } },
        }],
    });
}

/** A role trust policy for an AWS service principal. */
export function serviceTrustPolicy(service: string): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });
}

/** Read exactly the parameters under one SSM path (and decrypt them with the AWS-managed key). */
export function ssmReadPolicy(parameterPathArn: string, secretArns: readonly string[] = []): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["ssm:GetParameters", "ssm:GetParameter"], Resource: `${parameterPathArn}/*` },
            { Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:ViaService": [`ssm.*.amazonaws.com`, `secretsmanager.*.amazonaws.com`] } } },
            ...(secretArns.length > 0 ? [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...secretArns] }] : []),
        ],
    });
}

/** What a deployer may do: push to one repository, update one service, pass its two roles. */
export function deployerPolicy(repositoryArn: string, serviceArn: string, passRoleArns: readonly string[]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart", "ecr:DescribeImages"],
                Resource: repositoryArn,
            },
            { Effect: "Allow", Action: ["ecs:UpdateExpressGatewayService", "ecs:DescribeExpressGatewayService", "ecs:DescribeServices"], Resource: serviceArn },
            { Effect: "Allow", Action: "iam:PassRole", Resource: [...passRoleArns], Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } },
        ],
    });
}

/** ECR lifecycle: expire untagged images after `untaggedDays`, keep the `keep` newest tagged. */
export function ecrLifecyclePolicy(keep: number, untaggedDays: number): string {
    return JSON.stringify({
        rules: [
            { rulePriority: 1, description: `Expire untagged images after ${untaggedDays} days`, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays }, action: { type: "expire" } },
            { rulePriority: 2, description: `Keep the ${keep} newest images`, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep }, action: { type: "expire" } },
        ],
    });
}
