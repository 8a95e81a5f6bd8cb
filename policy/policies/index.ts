/**
 * Runway's policies as data. Importing this file starts nothing: only `policy/index.ts` constructs
 * the PolicyPack (whose constructor starts the analyzer's gRPC server).
 */
import { EnforcementLevel, Policies } from "@pulumi/policy";
import { baseImageUsers } from "./baseImageUsers";
import { blockingScans } from "./blockingScans";
import { budgetCoversEstimate } from "./budgetCoversEstimate";
import { budgetPresence } from "./budgetPresence";
import { ciTrustScoped } from "./ciTrustScoped";
import { kubernetesPodSecurity } from "./kubernetesPodSecurity";
import { noPlaintextSecrets } from "./noPlaintextSecrets";
import { noPrimitiveRoles } from "./noPrimitiveRoles";
import { nonRootImages } from "./nonRootImages";
import { productionBehindEdge } from "./productionBehindEdge";
import { protectedProductionData } from "./protectedProductionData";
import { rootBuildStages } from "./rootBuildStages";
import { unverifiedScans } from "./unverifiedScans";

export const PACK_NAME = "runway";
export const PACK_DESCRIPTION =
    "Runway's guard-rails: non-root images, a budget in every stack, security scans that block, least-privilege CI trust and protected production data.";

/** Level of any policy that does not set its own (all of Runway's do). */
export const PACK_ENFORCEMENT: EnforcementLevel = "mandatory";

export const policies: Policies = [
    nonRootImages,
    kubernetesPodSecurity,
    rootBuildStages,
    baseImageUsers,
    budgetPresence,
    budgetCoversEstimate,
    blockingScans,
    unverifiedScans,
    noPrimitiveRoles,
    ciTrustScoped,
    protectedProductionData,
    noPlaintextSecrets,
    productionBehindEdge,
];

export {
    baseImageUsers,
    blockingScans,
    budgetCoversEstimate,
    budgetPresence,
    ciTrustScoped,
    kubernetesPodSecurity,
    noPlaintextSecrets,
    noPrimitiveRoles,
    nonRootImages,
    productionBehindEdge,
    protectedProductionData,
    rootBuildStages,
    unverifiedScans,
};
