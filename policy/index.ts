/**
 * The policy pack entry point: `pulumi preview --policy-pack policy` starts this file, and the
 * PolicyPack constructor serves the policies to the engine. Nothing else belongs here.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_ENFORCEMENT, PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, { description: PACK_DESCRIPTION, enforcementLevel: PACK_ENFORCEMENT, policies });
