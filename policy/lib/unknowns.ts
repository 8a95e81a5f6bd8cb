/**
 * Unknown values during preview. A policy reading an unknown value must not crash and must not pass
 * silently: the engine turns a thrown `UnknownValueError` into an advisory "can't run ... during
 * preview". Stack policies check many resources, so they check each one, report what they can, and
 * rethrow the first unknown at the end.
 */
import * as policySdk from "@pulumi/policy";

/** Exported by @pulumi/policy at runtime but missing from its typings (1.21). */
const { UnknownValueError } = policySdk as unknown as { UnknownValueError: new (...args: any[]) => Error };

export class UnknownCollector {
    private first: unknown;

    /** Runs one check; an unknown value is remembered instead of aborting the other checks. */
    check(fn: () => void): void {
        try {
            fn();
        } catch (err) {
            if (!(err instanceof UnknownValueError)) throw err;
            this.first ??= err;
        }
    }

    /** Rethrows the first unknown so the engine reports "cannot check during preview". */
    finish(): void {
        if (this.first !== undefined) throw this.first;
    }
}

/** True when the error is the policy SDK's unknown-value error. */
export function isUnknown(err: unknown): boolean {
    return err instanceof UnknownValueError;
}
